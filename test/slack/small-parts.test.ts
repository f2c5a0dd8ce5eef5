import { describe, expect, it } from 'vitest';
import { KeyedSerial } from '../../adapters/slack/listeners/context.ts';
import { reactionKind } from '../../adapters/slack/listeners/reactions.ts';
import { compareTs, RecentEvents } from '../../adapters/slack/recent-events.ts';

describe('reactionKind', () => {
  it('maps Slack emoji names, with or without skin tone, to vote / save', () => {
    expect(['+1', 'thumbsup', '+1::skin-tone-4', 'arrow_up'].map(reactionKind)).toEqual(['vote', 'vote', 'vote', 'vote']);
    expect(reactionKind('bookmark')).toBe('save');
    expect(['heart', '-1', 'arrow_up_small', 'bookmark_tabs', ''].map(reactionKind)).toEqual([null, null, null, null, null]);
  });
});

describe('RecentEvents', () => {
  it('lets an event id through once within the TTL, again after it or after a release', () => {
    let now = 0;
    const ev = new RecentEvents(() => now, 1_000);
    expect(ev.claim('Ev1')).toBe(true);
    expect(ev.claim('Ev1')).toBe(false);
    ev.release('Ev1');
    expect(ev.claim('Ev1')).toBe(true);
    now = 1_001;
    expect(ev.claim('Ev1')).toBe(true);
  });

  it('keeps memory bounded', () => {
    const ev = new RecentEvents(() => 0, 60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) ev.claim(id);
    expect(ev.claim('a')).toBe(true); // the oldest was forgotten
    expect(ev.claim('d')).toBe(false);
  });

  it('knows which reaction event is newest', () => {
    const ev = new RecentEvents(() => 0);
    expect(ev.isNewest('k', '1360782804.000200')).toBe(true);
    expect(ev.isNewest('k', '1360782804.000100')).toBe(false);
    expect(ev.isNewest('k', '1360782805.000000')).toBe(true);
    expect(compareTs('9.5', '10.000001')).toBeLessThan(0);
    expect(compareTs('10.1', '10.000002')).toBeGreaterThan(0);
  });
});

describe('KeyedSerial', () => {
  it('runs tasks with one key in order, other keys alongside, and survives a failure', async () => {
    const s = new KeyedSerial();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) =>
        setTimeout(() => {
          log.push(name);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms),
      );
    const a1 = s.run('a', task('a1', 30, true));
    const a2 = s.run('a', task('a2', 1));
    const b1 = s.run('b', task('b1', 5));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(log).toEqual(['b1', 'a1', 'a2']);
  });
});
