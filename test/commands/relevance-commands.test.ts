import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/** What people see of word forms, completion and typo correction, through the real commands. */
let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness();
});
afterEach(async () => {
  await h.close();
});

const ids = (r: { cards?: Array<{ paper: { id: string } }> }) => (r.cards ?? []).map((c) => c.paper.id);

describe('/papers search', () => {
  it('corrects a misspelled word and says what it searched instead, with the way back', async () => {
    const fixed = await h.say('/papers search reasoning agnets');
    expect(fixed.error).toBeUndefined();
    expect(fixed.text).toContain('Showing results for `reasoning agents`; search instead for `reasoning agnets`: `/papers search reasoning "agnets"`');
    expect(ids(fixed)).toEqual(ids(await h.say('/papers search reasoning agents')));
    const asTyped = await h.say('/papers search reasoning "agnets"');
    expect(asTyped.text).toContain('Nothing matches');
    expect(asTyped.text).not.toContain('Showing results for');
  });

  it('finds the same papers for a word in any of its forms', async () => {
    const plural = ids(await h.say('/papers search benchmarks'));
    expect(plural.length).toBeGreaterThan(0);
    expect(ids(await h.say('/papers search benchmark'))).toEqual(plural);
  });
});

describe('/papers subscribe', () => {
  it('asks before saving a topic with a word no paper holds, and saves it once confirmed', async () => {
    const asked = await h.say('/papers subscribe agnets');
    expect(asked.ephemeral).toBe(true);
    expect(asked.text).toContain('No paper I have mentions `agnets`');
    expect(asked.text).toContain('Did you mean `agents`?');
    expect(asked.text).toContain('`/papers subscribe agents`');
    expect(asked.text).toContain('`/papers subscribe "agnets"`');
    expect((await h.say('/papers topics')).text).not.toContain('agnets');

    const kept = await h.say('/papers subscribe "agnets"');
    expect(kept.text).toContain('This channel now follows');
    expect((await h.say('/papers topics')).text).toContain('agnets');
  });

  it('follows every form of a word', async () => {
    const r = await h.say('/papers subscribe agent');
    const n = Number(/matched (\d+) paper/.exec(r.text)?.[1]);
    expect(n).toBeGreaterThan(0);
    await h.say('/papers unsubscribe agent');
    const plural = await h.say('/papers subscribe agents');
    expect(Number(/matched (\d+) paper/.exec(plural.text)?.[1])).toBe(n);
  });
});
