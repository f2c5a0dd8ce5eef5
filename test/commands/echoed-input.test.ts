import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { resolveOptions } from '../../src/commands/options.ts';
import { parseCommandText } from '../../src/commands/parse-text.ts';
import { clip } from '../../src/domain/clip.ts';
import { UserError } from '../../src/domain/errors.ts';
import { parseTimes, parseTimezone, parseWeekdays } from '../../src/schedule/parse.ts';
import { parseSearchQuery } from '../../src/search/query.ts';

/*
 * Error messages echo a clipped piece of what was typed. Found by `npm run fuzz`: the clip fell
 * between the two halves of an emoji, and the reply carried half a character, which Discord and
 * Slack refuse or show as garbage.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('no UserError');
}

/** `before` ASCII letters then emoji, so that every clip length up to 70 is tried at a pair. */
const emojiAfter = (before: number) => 'a'.repeat(before) + '🚀'.repeat(40);

describe('echoed input in error messages', () => {
  it('clip never ends inside a surrogate pair', () => {
    for (let before = 0; before < 70; before++) {
      for (const max of [1, 2, 20, 40, 59, 60, 61]) {
        const out = clip(emojiAfter(before), max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out, `${before}/${max}`).not.toMatch(LONE_SURROGATE);
      }
    }
  });

  it.each([
    ['extra words of a command', (s: string) => parseCommandText(`/papers topics x ${s}`, commands)],
    ['an unknown command', (s: string) => parseCommandText(`/papers ${s}`, commands)],
    ['a bad whole number', (s: string) => resolveOptions(commands.find((c) => c.name === 'saved')!, { page: s })],
    ['a bad time', (s: string) => parseTimes(s)],
    ['a bad time zone', (s: string) => parseTimezone(s)],
    ['a bad weekday', (s: string) => parseWeekdays(s)],
    ['a bad since: date', (s: string) => parseSearchQuery(`attention since:${s}`)],
  ])('%s: no half emoji at any cut', (_, run) => {
    for (let before = 0; before < 70; before++) expect(messageOf(() => run(emojiAfter(before))), String(before)).not.toMatch(LONE_SURROGATE);
  });
});
