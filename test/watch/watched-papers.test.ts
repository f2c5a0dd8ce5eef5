import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectMessage, PostOutcome } from '../../src/delivery/port.ts';
import { Posters } from '../../src/delivery/posters.ts';
import { planChannelDigestOn } from '../../src/digest/preview.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { readIngestFile } from '../../src/ingest/files.ts';
import { ingestBatches } from '../../src/ingest/ingest.ts';
import { memoryLogger, silentLogger } from '../../src/logger.ts';
import type { Store } from '../../src/store/store.ts';
import { WatchNotifier } from '../../src/watch/notifier.ts';
import { clone, fixtureJson, fixturePath, fixtureText } from '../sources/fixture-files.ts';
import { openTestStore } from '../support/test-store.ts';

/*
 * Watched papers against recorded data. Where a test needs the paper as it was before the
 * recorded update (an earlier version, no code yet), that state is derived from the recording
 * and says so; the update itself is always the recording, ingested through the real file reader.
 */

const RSS = 'arxiv/rss_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_trimmed.xml';
/** The fixture's `replace` item: version 3 of a paper announced before. */
const REPLACED = '2009.13987';
const HF_DAY = 'hf/daily_papers_2026-08-18.json';
const API = 'arxiv/api_query_search_all_testing_start0_max10.xml';
/** In the API recording at v3. */
const API_V3 = '2204.08348';

const tmp = mkdtempSync(join(tmpdir(), 'paperboy-watch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function derivedFile(name: string, text: string): string {
  const path = join(tmp, `${++n}-${name}`);
  writeFileSync(path, text);
  return path;
}

const clock = fixedClock('2026-09-23T10:00:00Z');
let store: Store;
beforeEach(async () => {
  store = await openTestStore();
  clock.set('2026-09-23T10:00:00Z');
});
afterEach(async () => {
  await store.close();
});

const ingest = (path: string) => ingestBatches(store, readIngestFile(path), { now: () => clock.now() });

/** The recorded feed as it would have read when the replaced paper was at v2 (derived). */
function rssAtV2(): string {
  return fixtureText(RSS).replaceAll(`${REPLACED}v3`, `${REPLACED}v2`);
}

/** A recording-shaped DM poster that keeps what it sent. */
class DmRecorder {
  readonly sent: Array<{ userId: string; message: DirectMessage }> = [];
  outcome: ((userId: string) => PostOutcome | null) | null = null;
  readonly poster = {
    platform: 'discord',
    post: async (): Promise<PostOutcome> => ({ ok: false, action: 'drop', reason: 'not used' }),
    postDirect: async (userId: string, message: DirectMessage): Promise<PostOutcome> => {
      const scripted = this.outcome?.(userId);
      if (scripted) return scripted;
      this.sent.push({ userId, message });
      return { ok: true, messageId: `dm-${this.sent.length}` };
    },
  };
}

function notifier(recorder: DmRecorder, instanceId = 'i1'): WatchNotifier {
  const posters = new Posters();
  posters.register(recorder.poster);
  return new WatchNotifier({ store, posters, clock, logger: memoryLogger(), instanceId, settings: { maxAttempts: 3, retryBaseMs: 1000, retryMaxMs: 10_000, leaseMs: 60_000 } });
}

async function events() {
  return store.db.selectFrom('watch_events').select(['paper_id', 'kind', 'value']).orderBy('id').execute();
}

async function saveAs(user: string, paperId: string, platform = 'discord', team = 'G1') {
  const t = await store.teams.ensureTeam({ platform, externalId: team }, clock.now());
  await store.saves.save(t.id, user, paperId, null, clock.now());
  return t;
}

describe('a new arXiv version of a saved paper (RSS replace)', () => {
  it('is stored, announced to the saver once, and announced once however often the update is ingested', async () => {
    await ingest(derivedFile('rss-v2.xml', rssAtV2()));
    await saveAs('1400000000000001001', REPLACED);
    expect((await store.watch.statesOf([REPLACED])).get(REPLACED)).toEqual({ version: 2, withdrawn: false });

    clock.set('2026-09-24T10:00:00Z');
    await ingest(fixturePath(RSS));
    await ingest(fixturePath(RSS)); // the same announcement read again (the poller reads the feed many times a day)
    expect((await store.watch.statesOf([REPLACED])).get(REPLACED)).toEqual({ version: 3, withdrawn: false });
    expect(await events()).toEqual([{ paper_id: REPLACED, kind: 'version', value: '3' }]);

    const dms = new DmRecorder();
    const sender = notifier(dms);
    expect(await sender.sendPending()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await sender.sendPending()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(dms.sent).toHaveLength(1);
    expect(dms.sent[0]!.userId).toBe('1400000000000001001');
    expect(dms.sent[0]!.message.text).toContain('Random Polytope Descriptors');
    expect(dms.sent[0]!.message.text).toContain(`https://arxiv.org/abs/${REPLACED}v3`);

    // Ingesting it yet again after the message went out, and a restart: nothing more is sent.
    await ingest(fixturePath(RSS));
    const restarted = notifier(dms, 'i2');
    await restarted.recover();
    expect(await restarted.sendPending()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(dms.sent).toHaveLength(1);
    expect(await store.watch.countByState()).toEqual({ sent: 1 });
  });

  it('is not news for a paper nobody saved (nothing recorded), nor for a version already known', async () => {
    await ingest(fixturePath(RSS));
    expect(await events()).toEqual([]);
    await saveAs('u1', REPLACED);
    await ingest(derivedFile('rss-v2.xml', rssAtV2())); // an older sighting: the version never goes down
    await ingest(fixturePath(RSS));
    expect(await events()).toEqual([]);
    expect((await store.watch.statesOf([REPLACED])).get(REPLACED)?.version).toBe(3);
  });

  it('tells every saver, in every team, once each', async () => {
    await ingest(derivedFile('rss-v2.xml', rssAtV2()));
    await saveAs('u1', REPLACED, 'discord', 'G1');
    await saveAs('u2', REPLACED, 'discord', 'G1');
    await saveAs('u1', REPLACED, 'discord', 'G2');
    await ingest(fixturePath(RSS));
    const dms = new DmRecorder();
    expect(await notifier(dms).sendPending()).toMatchObject({ sent: 3 });
    expect(dms.sent.map((d) => d.userId).sort()).toEqual(['u1', 'u1', 'u2']);
  });
});

describe('replacements in the announcement feed', () => {
  it('are never posted as new in a digest: the day lists the new and cross-listed papers only', async () => {
    await ingest(fixturePath(RSS));
    const team = await store.teams.ensureTeam({ platform: 'discord', externalId: 'G1' }, clock.now());
    const channel = await store.teams.ensureChannel(team.id, { externalId: 'C1' }, clock.now());
    const plan = await planChannelDigestOn(store, channel, '2026-09-24', silentLogger);
    const picked = plan.picked.map((p) => p.paperId).sort();
    expect(picked).toEqual(['2205.06398', '2609.26811', '2609.26820']);
    expect(picked).not.toContain(REPLACED);
    // Also when the replaced paper was known and listed before: its new version lists it on no new day.
    await ingest(derivedFile('rss-v2.xml', rssAtV2()));
    expect(await store.papers.listingsOf(REPLACED)).toEqual([]);
  });
});

describe('a code repository appearing (HF githubRepo)', () => {
  type RawItem = { paper: { id: string; githubRepo?: string | null } & Record<string, unknown> };
  const recorded = fixtureJson<RawItem[]>(HF_DAY);
  const withRepo = recorded.find((it) => it.paper.githubRepo)!;

  it('is announced once to whoever saved the paper, and the link is kept', async () => {
    // The same day as it read before the authors linked their code (derived: githubRepo removed).
    const before = clone(recorded).map((it) => (it.paper.id === withRepo.paper.id ? { ...it, paper: { ...it.paper, githubRepo: null } } : it));
    await ingest(derivedFile('daily_papers_2026-08-18.json', JSON.stringify(before)));
    await saveAs('u1', withRepo.paper.id, 'slack', 'T1');
    await ingest(fixturePath(HF_DAY));
    await ingest(fixturePath(HF_DAY));
    expect(await events()).toEqual([{ paper_id: withRepo.paper.id, kind: 'code', value: withRepo.paper.githubRepo }]);
    expect((await store.papers.get(withRepo.paper.id))?.links.github).toBe(withRepo.paper.githubRepo);

    const dms = new DmRecorder();
    (dms.poster as { platform: string }).platform = 'slack';
    await notifier(dms).sendPending();
    expect(dms.sent.map((d) => d.message.text)).toEqual([expect.stringContaining(`now has code: ${withRepo.paper.githubRepo}`)]);
  });

  it('is no news when the paper had code when it was saved', async () => {
    await ingest(fixturePath(HF_DAY));
    await saveAs('u1', withRepo.paper.id);
    await ingest(fixturePath(HF_DAY));
    expect(await events()).toEqual([]);
  });
});

describe('the arXiv API (versioned entry ids) and withdrawals', () => {
  it('a higher vN in an API entry id is a new version', async () => {
    await ingest(derivedFile('api-v2.xml', fixtureText(API).replaceAll(`${API_V3}v3`, `${API_V3}v2`)));
    await saveAs('u1', API_V3);
    await ingest(fixturePath(API));
    expect(await events()).toEqual([{ paper_id: API_V3, kind: 'version', value: '3' }]);
  });

  it('a withdrawal (arXiv\'s note in the abstract) is announced once, as the withdrawal, not as a version', async () => {
    // No recording holds a withdrawn paper: this is the recorded replace item as arXiv announces a withdrawal (derived).
    const withdrawn = fixtureText(RSS)
      .replaceAll(`${REPLACED}v3`, `${REPLACED}v4`)
      .replace(/(arXiv:2009\.13987v4 Announce Type: replace \nAbstract: )[^<]*/, '$1This paper has been withdrawn by the author due to an error in the proof of Theorem 2.');
    await ingest(fixturePath(RSS));
    await saveAs('u1', REPLACED);
    const file = derivedFile('rss-withdrawn.xml', withdrawn);
    await ingest(file);
    await ingest(file);
    expect(await events()).toEqual([{ paper_id: REPLACED, kind: 'withdrawn', value: 'withdrawn' }]);
    expect((await store.watch.statesOf([REPLACED])).get(REPLACED)).toEqual({ version: 4, withdrawn: true });
    const dms = new DmRecorder();
    await notifier(dms).sendPending();
    expect(dms.sent.map((d) => d.message.text)).toEqual([expect.stringContaining('was withdrawn on arXiv')]);
  });
});

describe('sending the notices', () => {
  beforeEach(async () => {
    await ingest(derivedFile('rss-v2.xml', rssAtV2()));
    await saveAs('u1', REPLACED);
    await ingest(fixturePath(RSS));
  });

  it('retries a refusal later, and the retry is not in doubt', async () => {
    const dms = new DmRecorder();
    dms.outcome = () => ({ ok: false, action: 'retry', reason: 'rate limited' });
    const sender = notifier(dms);
    expect(await sender.sendPending()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await sender.sendPending()).toEqual({ sent: 0, retried: 0, failed: 0 }); // waits for its retry time
    clock.advance(5_000);
    dms.outcome = null;
    expect(await sender.sendPending()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(dms.sent[0]!.message.inDoubt).toBe(false);
  });

  it('gives a notice up after the last attempt the platform kept refusing', async () => {
    const dms = new DmRecorder();
    dms.outcome = () => ({ ok: false, action: 'retry', reason: 'rate limited' });
    const sender = notifier(dms); // maxAttempts 3
    const reports = [];
    for (let i = 0; i < 4; i++) {
      reports.push(await sender.sendPending());
      clock.advance(60_000);
    }
    expect(reports.map((r) => [r.retried, r.failed])).toEqual([[1, 0], [1, 0], [0, 1], [0, 0]]);
    expect(await store.watch.countByState()).toEqual({ failed: 1 });
  });

  it('a person the platform will not let us message: given up, nothing else stops', async () => {
    const dms = new DmRecorder();
    dms.outcome = () => ({ ok: false, action: 'drop', reason: 'Cannot send messages to this user' });
    expect(await notifier(dms).sendPending()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await store.watch.countByState()).toEqual({ failed: 1 });
  });

  it('a send cut off by a crash is retried after restart, marked in doubt (the adapter checks before sending again)', async () => {
    // A first instance claims the notice and dies before settling it.
    const claimed = await store.watch.claimNext(['discord'], clock.now(), { owner: 'dead', until: new Date(clock.now().getTime() + 60_000) });
    expect(claimed?.inDoubt).toBe(false);
    clock.advance(1000);
    const dms = new DmRecorder();
    const sender = notifier(dms, 'i2');
    await sender.recover();
    expect(await sender.sendPending()).toMatchObject({ sent: 1 });
    expect(dms.sent[0]!.message.inDoubt).toBe(true);
    expect(await sender.sendPending()).toMatchObject({ sent: 0 });
  });

  it('a paper unsaved before its message went out is no longer news to that person', async () => {
    const team = (await store.teams.findTeam('discord', 'G1'))!;
    expect(await store.saves.unsave(team.id, 'u1', REPLACED)).toBe(true);
    const dms = new DmRecorder();
    expect(await notifier(dms).sendPending()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await store.watch.countByState()).toEqual({});
  });

  it('waits while no poster can send direct messages on the team\'s platform', async () => {
    const posters = new Posters();
    const idle = new WatchNotifier({ store, posters, clock, logger: memoryLogger(), instanceId: 'i1', settings: { maxAttempts: 3, retryBaseMs: 1000, retryMaxMs: 10_000, leaseMs: 60_000 } });
    expect(await idle.sendPending()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await store.watch.countByState()).toEqual({ planned: 1 });
  });
});
