import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { parseCommandText } from '../../src/commands/parse-text.ts';
import { usage } from '../../src/commands/options.ts';
import { UserError } from '../../src/domain/errors.ts';

const parse = (text: string) => parseCommandText(text, commands);

describe('parseCommandText', () => {
  it('takes the first word as the subcommand, with or without /papers', () => {
    expect(parse('/papers today')).toEqual({ command: 'today', options: {} });
    expect(parse('TODAY 2026-08-21')).toEqual({ command: 'today', options: { date: '2026-08-21' } });
    expect(parse('')).toEqual({ command: 'help', options: {} });
  });

  it('gives a rest-of-line query its text as typed, quotes and operators included', () => {
    expect(parse('search "state space" -vision author:"Tri Dao" OR mamba')).toEqual({
      command: 'search',
      options: { query: '"state space" -vision author:"Tri Dao" OR mamba' },
    });
  });

  it('lets later options be named after a rest option, and never steals a trailing word', () => {
    expect(parse('search gpt 4 page:2')).toEqual({ command: 'search', options: { query: 'gpt 4', page: '2' } });
    expect(parse('search gpt 4')).toEqual({ command: 'search', options: { query: 'gpt 4' } });
  });

  it('reads "quoted" values and key:value in any order', () => {
    expect(parse('save 2608.19880 "great read, fig 3"')).toEqual({ command: 'save', options: { paper: '2608.19880', note: 'great read, fig 3' } });
    expect(parse('save note:"later" paper:2608.19880')).toEqual({ command: 'save', options: { paper: '2608.19880', note: 'later' } });
    expect(parse('save 2608.19880 compare with ours')).toEqual({ command: 'save', options: { paper: '2608.19880', note: 'compare with ours' } });
    expect(parse('schedule 09:00,17:00 Europe/Berlin mon,wed,fri')).toEqual({
      command: 'schedule',
      options: { times: '09:00,17:00', timezone: 'Europe/Berlin', weekdays: 'mon,wed,fri' },
    });
    expect(parse('saved team page:2')).toEqual({ command: 'saved', options: { scope: 'team', page: '2' } });
  });

  it('accepts typographic quotes from phones and unclosed quotes', () => {
    expect(parse('save 2608.19880 “to read”')).toEqual({ command: 'save', options: { paper: '2608.19880', note: 'to read' } });
    expect(parse('search "unclosed phrase')).toEqual({ command: 'search', options: { query: '"unclosed phrase' } });
  });

  it('suggests the nearest command for a typo and refuses leftovers', () => {
    expect(() => parse('serch x')).toThrow(/Did you mean `\/papers search`/);
    expect(() => parse('zzzzzz')).toThrow(UserError);
    expect(() => parse('pause now please')).toThrow(/got more than it takes/);
  });
});

describe('usage', () => {
  it('is generated from the declaration, showing named options after a rest option', () => {
    const byName = (n: string) => commands.find((c) => c.name === n)!;
    expect(usage(byName('search'))).toBe('/papers search <query> [page:N]');
    expect(usage(byName('top'))).toBe('/papers top [day|week|month]');
    expect(usage(byName('save'))).toBe('/papers save <paper> [note]');
  });
});
