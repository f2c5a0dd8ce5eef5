import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/** Fair use per channel: PAPERBOY_MAX_TOPICS topics (default 25) and 4 digest times. */
const WORDS = [
  'agents', 'diffusion', 'benchmark', 'reasoning', 'video', 'language', 'vision', 'robot', 'learning', 'transformer',
  'attention', 'retrieval', 'graph', 'speech', 'audio', 'image', 'code', 'math', 'reinforcement', 'memory',
  'planning', 'segmentation', 'detection', 'generation', 'translation', 'compression', 'quantization', 'alignment',
];

let h: CoreHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function topicCount(): Promise<number> {
  const rows = await h!.app.store.db.selectFrom('topics').select('id').execute();
  return rows.length;
}

/** Subscribes `words` one after another; every one must be added. */
async function follow(words: readonly string[]) {
  for (const w of words) {
    const r = await h!.say(`/papers subscribe "${w}"`);
    expect(r.text, w).toContain('now follows');
  }
}

describe('topics per channel', () => {
  it('the 25th topic is added, the 26th refused politely, privately, with the way to make room', async () => {
    h = await coreHarness();
    await follow(WORDS.slice(0, 25));
    expect(await topicCount()).toBe(25);
    const r = await h.say(`/papers subscribe "${WORDS[25]}"`);
    expect(r.error).toEqual({ kind: 'user', code: 'limit' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('already follows 25 topics, the most a channel may follow here');
    expect(r.text).toContain(`I haven't added \`"${WORDS[25]}"\``);
    expect(r.text).toContain('`/papers unsubscribe <topic>`');
    expect(await topicCount()).toBe(25);
    // At the limit, a topic it already follows is still answered as such, not as "full".
    expect((await h.say(`/papers subscribe "${WORDS[3]}"`)).text).toContain('already follows');
    // Making room works.
    expect((await h.say(`/papers unsubscribe "${WORDS[0]}"`)).text).toContain('no longer follows');
    expect((await h.say(`/papers subscribe "${WORDS[25]}"`)).text).toContain('now follows');
    expect(await topicCount()).toBe(25);
  });

  it('PAPERBOY_MAX_TOPICS sets the limit; bad values stop start-up naming the variable', async () => {
    expect(loadConfig({}).limits.maxTopics).toBe(25);
    expect(loadConfig({ PAPERBOY_MAX_TOPICS: ' ' }).limits.maxTopics).toBe(25);
    const limits = loadConfig({ PAPERBOY_MAX_TOPICS: '3' }).limits;
    expect(limits.maxTopics).toBe(3);
    for (const bad of ['abc', '0', '-2', '2.5']) {
      expect(() => loadConfig({ PAPERBOY_MAX_TOPICS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ PAPERBOY_MAX_TOPICS: bad }), bad).toThrow(/PAPERBOY_MAX_TOPICS.*(whole number|at least 1)/);
    }

    h = await coreHarness({ limits });
    await follow(WORDS.slice(0, 3));
    const r = await h.say(`/papers subscribe "${WORDS[3]}"`);
    expect(r.error).toEqual({ kind: 'user', code: 'limit' });
    expect(r.text).toContain('already follows 3 topics');
    expect(await topicCount()).toBe(3);
  });

  it('a channel over a lowered limit is told how many to remove', async () => {
    h = await coreHarness({ limits: { maxTopics: 5 } });
    await follow(WORDS.slice(0, 5));
    h.app.runtime.services.limits = { maxTopics: 3 }; // as after a restart with PAPERBOY_MAX_TOPICS=3
    const r = await h.say(`/papers subscribe "${WORDS[5]}"`);
    expect(r.error).toEqual({ kind: 'user', code: 'limit' });
    expect(r.text).toContain('already follows 5 topics, more than the 3 a channel may follow here (the limit was lowered since)');
    expect(r.text).toContain('remove 3 with `/papers unsubscribe <topic>`');
    expect(await topicCount()).toBe(5); // what it followed before stays
  });

  it('several subscribes at once at the boundary: exactly the places left are taken, the rest refused', async () => {
    h = await coreHarness();
    await follow(WORDS.slice(0, 23));
    const racing = WORDS.slice(23, 28);
    const replies = await Promise.all(racing.map((w) => h!.say(`/papers subscribe "${w}"`)));
    const added = replies.filter((r) => r.text.includes('now follows'));
    const refused = replies.filter((r) => r.error?.kind === 'user' && r.error.code === 'limit');
    expect(added).toHaveLength(2);
    expect(refused).toHaveLength(3);
    // Each reply says which topic it was about: the added ones are followed, the refused ones are not.
    const followed = (await h.app.store.db.selectFrom('topics').select('query').execute()).map((t) => t.query);
    racing.forEach((w, i) => expect(followed.includes(`"${w}"`), w).toBe(replies[i]!.text.includes('now follows')));
    for (const r of refused) expect(r.text).toMatch(/already follows 25 topics.*I haven't added `"\w+"`/);
    expect(await topicCount()).toBe(25);
  });
});

describe('the store keeps the topic limit under concurrent adds', () => {
  it('an add arriving while another holds the last place waits for it, then finds the channel full', async () => {
    h = await coreHarness({ days: [] });
    const { store } = h.app;
    const now = h.clock.now();
    const team = await store.teams.ensureTeam({ platform: 'console', externalId: 'race' }, now);
    const channel = await store.teams.ensureChannel(team.id, { externalId: 'c' }, now);
    for (let i = 0; i < 24; i++) expect((await store.topics.addWithin(channel.id, `t${i}`, `t${i}`, 'u', now, 25)).added).toBe(true);
    // Another add (another bot on the store) has taken the channel and written the 25th topic, not yet committed.
    let commit!: () => void;
    let inserted!: () => void;
    const wrote = new Promise<void>((r) => (inserted = r));
    const other = store.db.transaction().execute(async (trx) => {
      await trx.updateTable('channels').set((eb) => ({ paused: eb.ref('paused') })).where('id', '=', channel.id).execute();
      await trx.insertInto('topics').values({ channel_id: channel.id, query: 'last', query_key: 'last', created_by: 'u', created_at: now.toISOString() }).execute();
      inserted();
      await new Promise<void>((r) => (commit = r));
    });
    await wrote;
    const ours = store.topics.addWithin(channel.id, 'late', 'late', 'u', now, 25);
    await new Promise((r) => setTimeout(r, 100)); // ours is waiting for the channel by now
    commit();
    await other;
    expect(await ours).toEqual({ added: false, reason: 'full', count: 25 });
    expect(await store.topics.list(channel.id)).toHaveLength(25);
  });
});

describe('digest times per channel', () => {
  it('up to 4 times a day; a fifth is refused and the schedule stays as it was', async () => {
    h = await coreHarness();
    expect((await h.say('/papers schedule 08:00,11:00,14:00,17:00 UTC')).text).toContain('Digest scheduled at 08:00 and 11:00 and 14:00 and 17:00 UTC');
    const r = await h.say('/papers schedule 07:00,09:00,11:00,13:00,15:00 UTC');
    expect(r.error).toEqual({ kind: 'user', code: 'limit' });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain("That's 5 digest times; a channel may have at most 4 a day.");
    expect(r.text).toContain('`/papers schedule 07:00,09:00,11:00,13:00`');
    const row = await h.app.store.db.selectFrom('schedules').select('times').executeTakeFirstOrThrow();
    expect(JSON.parse(row.times)).toEqual(['08:00', '11:00', '14:00', '17:00']);
    // The same time twice counts once.
    expect((await h.say('/papers schedule 9:00,09:00,10:00,11:00,12:00 UTC')).error).toBeUndefined();
  });
});
