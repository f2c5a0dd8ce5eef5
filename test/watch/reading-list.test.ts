import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIngestFile } from '../../src/ingest/files.ts';
import { ingestBatches } from '../../src/ingest/ingest.ts';
import { changesSince, watchLine } from '../../src/watch/reading-list.ts';
import { announcesWithdrawal, githubRepoIn, versionOf } from '../../src/watch/signals.ts';
import { fixtureJson, fixturePath, fixtureText } from '../sources/fixture-files.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/*
 * `/papers saved` shows each watched paper's version and code link and marks what changed since
 * the person last looked; the console prints the direct message. Through the real commands on
 * the recorded arXiv announcement (the v2 state before it derived from it) and a recorded HF day.
 */

const RSS = 'arxiv/rss_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_trimmed.xml';
const REPLACED = '2009.13987';
const tmp = mkdtempSync(join(tmpdir(), 'paperboy-reading-list-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const atV2 = join(tmp, 'rss-v2.xml');
writeFileSync(atV2, fixtureText(RSS).replaceAll(`${REPLACED}v3`, `${REPLACED}v2`));
const HF_DAY = 'hf/daily_papers_2026-08-18.json';
const withCode = fixtureJson<Array<{ paper: { id: string; githubRepo?: string | null } }>>(HF_DAY).find((it) => it.paper.githubRepo)!.paper;

let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness({ days: [], now: '2026-09-23T10:00:00Z' });
  await ingest(atV2);
  await ingest(fixturePath(HF_DAY));
});
afterEach(async () => h.close());

async function ingest(path: string) {
  await ingestBatches(h.app.store, readIngestFile(path), { now: () => h.clock.now() });
}

function noteOf(reply: Awaited<ReturnType<CoreHarness['say']>>, id: string): string {
  return reply.cards?.find((c) => c.paper.id === id)?.note ?? '';
}

describe('/papers saved', () => {
  it('shows the version and the code link, marks a change since the last look once, and the console prints the DM', async () => {
    await h.say(`/papers save ${REPLACED} for Friday`);
    await h.say(`/papers save ${withCode.id}`);
    h.clock.advance(60_000);
    const first = await h.say('/papers saved');
    expect(noteOf(first, REPLACED)).toBe('v2 · Note: for Friday');
    // The code link is the card's Code link (a button on Discord and Slack, a link line in the console).
    expect(noteOf(first, withCode.id)).toBe('');
    expect(first.cards?.find((c) => c.paper.id === withCode.id)?.paper.links.github).toBe(withCode.githubRepo);
    expect(first.text).not.toContain('🆕');

    h.clock.set('2026-09-24T10:00:00Z');
    await ingest(fixturePath(RSS));
    h.clock.advance(60_000);
    const second = await h.say('/papers saved');
    expect(second.text).toContain('🆕 1 paper on this page changed since your last look.');
    expect(noteOf(second, REPLACED)).toBe('v3 · 🆕 since your last look: new version v3 · Note: for Friday');
    expect(noteOf(second, withCode.id)).not.toContain('🆕');

    h.clock.advance(60_000);
    const third = await h.say('/papers saved');
    expect(third.text).not.toContain('🆕');
    expect(noteOf(third, REPLACED)).toBe('v3 · Note: for Friday');

    await h.app.delivery.tick();
    await h.app.delivery.tick();
    const dms = h.posted.filter((p) => p.includes('[direct message to me]'));
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain(`https://arxiv.org/abs/${REPLACED}v3`);
  });

  it('marks a change made after the save for someone who never looked at the list', async () => {
    await h.say(`/papers save ${REPLACED}`, { user: 'newcomer' });
    h.clock.set('2026-09-24T10:00:00Z');
    await ingest(fixturePath(RSS));
    const reply = await h.say('/papers saved', { user: 'newcomer' });
    expect(noteOf(reply, REPLACED)).toContain('🆕 since your last look: new version v3');
    // Another member's first look at the team list: the change came after the paper was saved.
    const team = await h.say('/papers saved team', { user: 'someone-else' });
    expect(noteOf(team, REPLACED)).toContain('🆕');
  });
});

describe('what arXiv text says', () => {
  it('finds a GitHub repository in a comment or abstract, cleaned of trailing punctuation', () => {
    expect(githubRepoIn('Code: https://github.com/karpathy/nanoGPT.')).toBe('https://github.com/karpathy/nanoGPT');
    expect(githubRepoIn(null, 'available at https://github.com/org/repo.git, and more')).toBe('https://github.com/org/repo');
    expect(githubRepoIn('see https://github.com/org/repo/tree/main/src')).toBe('https://github.com/org/repo');
    expect(githubRepoIn('44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck')).toBeNull();
    expect(githubRepoIn('https://github.com/only-a-user')).toBeNull();
    expect(githubRepoIn('javascript:alert(1) github.com/x/y')).toBeNull();
  });

  it('recognises a withdrawal notice, not a paper about withdrawing something', () => {
    expect(announcesWithdrawal('This paper has been withdrawn by the author due to a crucial error in equation 3')).toBe(true);
    expect(announcesWithdrawal(null, 'This submission has been withdrawn by arXiv administrators because it is a duplicate')).toBe(true);
    expect(announcesWithdrawal('Withdrawn: the results do not hold')).toBe(true);
    expect(announcesWithdrawal('We study withdrawal of medication in elderly patients')).toBe(false);
    expect(announcesWithdrawal('10 pages, 8 figures; updated figure 5, added references, revised text, reformatted')).toBe(false);
  });

  it('reads the version of a versioned id or URL', () => {
    expect(versionOf('http://arxiv.org/abs/2204.08348v3')).toBe(3);
    expect(versionOf('oai:arXiv.org:2609.26811v1')).toBe(1);
    expect(versionOf('http://arxiv.org/abs/2204.08348')).toBeNull();
  });

  it('the reading-list line and the changes after a mark', () => {
    const changes = [
      { paperId: 'x', kind: 'version' as const, value: '2', at: '2026-09-01T00:00:00.000Z' },
      { paperId: 'x', kind: 'code' as const, value: 'https://github.com/o/r', at: '2026-09-03T00:00:00.000Z' },
    ];
    expect(changesSince(changes, '2026-09-02T00:00:00.000Z')).toEqual([changes[1]]);
    expect(changesSince(changes, null)).toEqual(changes);
    expect(watchLine({ version: 2, withdrawn: true, changed: changes })).toBe('v2 · ⚠️ withdrawn on arXiv · 🆕 since your last look: new version v2, code released');
    expect(watchLine({ version: null, withdrawn: false, changed: [] })).toBeNull();
  });
});
