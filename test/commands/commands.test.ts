import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness();
});
afterEach(async () => {
  await h.close();
});

const ids = (r: { cards?: Array<{ paper: { id: string } }> }) => (r.cards ?? []).map((c) => c.paper.id);

describe('today', () => {
  it('lists the day most upvoted first, five at a time, with a link to the next page', async () => {
    const r = await h.say('/papers today');
    expect(r.error).toBeUndefined();
    expect(r.title).toBe('Papers of 2026-08-21');
    expect(ids(r)[0]).toBe('2608.19880');
    const upvotes = r.cards!.map((c) => c.paper.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
    expect(r.cards).toHaveLength(5);
    expect(r.text).toContain('page:2');
    const p2 = await h.say('/papers today 2026-08-21 page:2');
    expect(ids(p2)).toHaveLength(5);
    expect(ids(p2).some((id) => ids(r).includes(id))).toBe(false);
  });

  it('falls back to the latest day it has, and says so', async () => {
    h.clock.set('2026-08-23T08:00:00Z'); // a Sunday: nothing listed
    const r = await h.say('/papers today');
    expect(r.text).toContain('Nothing listed for 2026-08-23 yet; here is 2026-08-21');
  });

  it('refuses an impossible date politely', async () => {
    const r = await h.say('/papers today 2026-02-30');
    expect(r).toMatchObject({ ephemeral: true, error: { kind: 'user' } });
    expect(r.text).toContain('2026-02-30');
  });
});

describe('search and show', () => {
  it('finds a paper by its exact title, first', async () => {
    const r = await h.say('/papers search EnvHarness: Awakening Static Worlds for Agent Learning');
    expect(ids(r)[0]).toBe('2608.19880');
  });

  it('shows a paper by id, arXiv URL or HF URL; unknown ids get a polite answer', async () => {
    for (const ref of ['2608.19880', 'https://arxiv.org/abs/2608.19880v2', 'https://huggingface.co/papers/2608.19880', 'arXiv:2608.19880']) {
      expect(ids(await h.say(`/papers show ${ref}`))).toEqual(['2608.19880']);
    }
    const missing = await h.say('/papers show 1234.56789');
    expect(missing).toMatchObject({ ephemeral: true, error: { kind: 'user', code: 'not_found' } });
    const garbage = await h.say('/papers show not-a-paper');
    expect(garbage.error).toMatchObject({ code: 'bad_option' });
  });

  it('explains a query with no words instead of failing', async () => {
    const r = await h.say('/papers search 🙂 ^ :');
    expect(r).toMatchObject({ ephemeral: true, error: { kind: 'user', code: 'bad_query' } });
  });
});

describe('votes and saves', () => {
  it('vote toggles, and counts belong to one team', async () => {
    expect((await h.say('/papers vote 2608.18580')).text).toContain('1 team vote');
    expect((await h.say('/papers vote 2608.18580', { user: 'ada' })).text).toContain('2 team votes');
    expect((await h.say('/papers vote 2608.18580', { team: 'other', user: 'bob' })).text).toContain('1 team vote');
    expect((await h.say('/papers vote 2608.18580')).text).toContain('Removed your vote');
    const mine = await h.say('/papers show 2608.18580', { user: 'ada' });
    expect(mine.cards![0]).toMatchObject({ teamVotes: 1, voted: true });
    const theirs = await h.say('/papers show 2608.18580', { team: 'other', user: 'bob' });
    expect(theirs.cards![0]).toMatchObject({ teamVotes: 1, voted: true });
  });

  it('top blends HF upvotes with this team only', async () => {
    // 2608.19799 has 32 upvotes; four team votes (x10) lift it above 2608.19880's 163.
    for (const u of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n']) await h.say('/papers vote 2608.19799', { user: u });
    expect(ids(await h.say('/papers top day'))[0]).toBe('2608.19799');
    expect(ids(await h.say('/papers top day', { team: 'other' }))[0]).toBe('2608.19880');
  });

  it('saves with notes, lists mine and the team, unsaves; other teams see none of it', async () => {
    await h.say('/papers save 2608.19880 read before Friday');
    await h.say('/papers save 2608.14391', { user: 'ada' });
    await h.say('/papers save 2608.19880', { user: 'ada' });
    const mine = await h.say('/papers saved');
    expect(mine.ephemeral).toBe(true);
    expect(ids(mine)).toEqual(['2608.19880']);
    expect(mine.cards![0]!.note).toContain('read before Friday');
    const team = await h.say('/papers saved team');
    expect(new Set(ids(team))).toEqual(new Set(['2608.19880', '2608.14391']));
    expect(team.cards!.find((c) => c.paper.id === '2608.19880')!.note).toContain('Saved by 2 people');
    expect(ids(await h.say('/papers saved team', { team: 'other' }))).toEqual([]);
    expect((await h.say('/papers unsave 2608.19880')).text).toContain('Removed');
    expect((await h.say('/papers unsave 2608.19880')).text).toContain("wasn't on your reading list");
    expect(ids(await h.say('/papers saved'))).toEqual([]);
  });

  it('exports the team list as BibTeX that a real parser reads, with arXiv eprint fields', async () => {
    await h.say('/papers save 2608.19880');
    await h.say('/papers save 2608.19799', { user: 'ada' });
    await h.say('/papers save 2608.14391', { team: 'other' });
    const r = await h.say('/papers export');
    expect(r.file?.name).toBe('paperboy-saved.bib');
    const bib = parseBibtex(r.file!.content, { english: false });
    expect(bib.errors).toEqual([]);
    const byEprint = new Map(bib.entries.map((e) => [e.fields.eprint, e]));
    expect([...byEprint.keys()].sort()).toEqual(['2608.19799', '2608.19880']);
    const env = byEprint.get('2608.19880')!;
    expect(env.fields.archiveprefix).toBe('arXiv');
    expect(env.fields.title).toBe('EnvHarness: Awakening Static Worlds for Agent Learning');
    expect(env.fields.author?.length).toBe(17);
    expect(env.fields.year).toBe('2026');
  });
});

describe('topics, schedule and digest', () => {
  it('subscribe / topics / unsubscribe, by meaning not spelling', async () => {
    expect((await h.say('/papers subscribe coding agents')).text).toContain('now follows `coding agents`');
    expect((await h.say('/papers subscribe Agents  Coding')).text).toContain('already follows');
    await h.say('/papers subscribe "video diffusion" -avatar');
    const t = await h.say('/papers topics');
    expect(t.text).toContain('1. `coding agents`');
    expect(t.text).toContain('2. `"video diffusion" -avatar`');
    expect((await h.say('/papers unsubscribe agents coding')).text).toContain('no longer follows `coding agents`');
    expect((await h.say('/papers unsubscribe quantum')).text).toContain('follows: `"video diffusion" -avatar`');
  });

  it('members may read but not change channel settings', async () => {
    for (const line of ['/papers subscribe agents', '/papers schedule 10:00', '/papers pause', '/papers resume', '/papers digest post']) {
      const r = await h.say(line, { manager: false });
      expect(r, line).toMatchObject({ ephemeral: true, error: { code: 'forbidden' } });
    }
    expect((await h.say('/papers digest', { manager: false })).error).toBeUndefined();
    expect((await h.say('/papers topics', { manager: false })).error).toBeUndefined();
  });

  it('schedule takes times, a zone and weekdays in any sensible form', async () => {
    expect((await h.say('/papers schedule 09:00,17:30 Europe/Berlin mon,wed,fri')).text).toBe(
      'Digest scheduled at 09:00 and 17:30 Europe/Berlin, Mon, Wed, Fri. Next: Fri 21 Aug, 17:30 Europe/Berlin.',
    );
    expect((await h.say('/papers schedule 8:05 daily')).text).toContain('08:05 Europe/Berlin, daily');
    expect((await h.say('/papers schedule 07:00 america/new_york sat-sun')).text).toContain('07:00 America/New_York, weekends');
    for (const bad of ['/papers schedule 25:00', '/papers schedule 09:00 Mars/Olympus', '/papers schedule 09:00 UTC funday']) {
      expect((await h.say(bad)).error, bad).toMatchObject({ kind: 'user' });
    }
  });

  it('digest preview ranks topic matches; post delivers them once; pause and resume', async () => {
    await h.say('/papers subscribe agents');
    const preview = await h.say('/papers digest');
    expect(preview.ephemeral).toBe(true);
    expect(preview.cards!.length).toBe(5);
    expect(preview.cards!.every((c) => /agent/i.test(`${c.paper.title} ${c.paper.abstract} ${c.paper.keywords.join(' ')}`))).toBe(true);
    const posted = await h.say('/papers digest post');
    expect(posted.text).toBe('Posted 5 papers here.');
    // A header, then one message per paper (so buttons and reactions map to one paper).
    expect(h.posted).toHaveLength(6);
    expect(h.posted[0]).toContain('Paperboy · Fri 21 Aug');
    expect(h.posted.slice(1).map((p) => /\[(\d{4}\.\d{5})\]/.exec(p)?.[1])).toEqual(ids(preview));
    const next = await h.say('/papers digest');
    expect(ids(next).some((id) => ids(preview).includes(id))).toBe(false);
    expect((await h.say('/papers pause')).text).toContain('paused');
    expect((await h.say('/papers resume')).text).toContain('resumed');
  });
});

describe('status and why', () => {
  it('why explains each fate of a paper in this channel', async () => {
    await h.say('/papers subscribe agents');
    const preview = await h.say('/papers digest');
    const [first] = ids(preview);
    expect((await h.say(`/papers why ${first}`)).text).toMatch(new RegExp(`^${first} is in the next digest \\(2026-08-21\\), at #1\\.$`));
    await h.say('/papers digest post');
    expect((await h.say(`/papers why ${first}`)).text).toBe(`${first} was posted here in the digest of 2026-08-21, at #1 because it matched \`agents\`.`);
    // 2608.20335 (4D video generation) is listed on 2026-08-21 but is not about agents.
    expect((await h.say('/papers why 2608.20335')).text).toBe('2608.20335 was listed on 2026-08-21 but matches none of this channel\'s topics: `agents`.');
    // 2608.14391 was listed on 2026-08-17, before the 3-day window.
    expect((await h.say('/papers why 2608.14391')).text).toContain('before this channel\'s digest window (2026-08-21 to 2026-08-21)');
    expect((await h.say('/papers why 2601.00001')).text).toBe("I don't have 2601.00001: it has not been ingested yet, so no digest could carry it.");
  });

  it('why names the rank cut when a matching paper misses the limit', async () => {
    const preview = await h.say('/papers digest');
    expect(preview.cards).toHaveLength(5);
    const cut = await h.app.store.papers.listedOn('2026-08-21');
    const notShown = cut.filter((id) => !ids(preview).includes(id));
    const r = await h.say(`/papers why ${notShown[0]}`);
    expect(r.text).toMatch(/matches, but ranks #\d+ and the digest keeps the top 5/);
  });

  it('status shows schedule, next post, topics, last digest and problems', async () => {
    expect((await h.say('/papers status')).text).toContain('Not receiving digests yet');
    await h.say('/papers schedule 08:30 Europe/Berlin mon-fri');
    await h.say('/papers subscribe agents');
    await h.say('/papers digest post');
    const r = await h.say('/papers status');
    expect(r.text).toContain('Schedule: 08:30 Europe/Berlin, Mon–Fri.');
    expect(r.text).toContain('Next digest: Mon 24 Aug, 08:30 Europe/Berlin.');
    expect(r.text).toContain('Topics: `agents`.');
    expect(r.text).toMatch(/Last digest: 2026-08-21 \(posted by hand\), 5 papers posted\./);
    expect((await h.say('/papers status', { manager: false })).error).toMatchObject({ code: 'forbidden' });
  });
});

describe('help and mistakes', () => {
  it('help is generated from every declaration', async () => {
    const r = await h.say('/papers help');
    for (const c of commands) expect(r.text).toContain(`/papers ${c.name}`);
    const one = await h.say('/papers help schedule');
    expect(one.text).toContain('Usage: `/papers schedule <times> [timezone] [weekdays] [thread|nothread]`');
    expect(one.text).toContain('Only channel managers');
  });

  it('unknown commands and misused options get a helpful message, never a crash', async () => {
    expect((await h.say('/papers serch transformers')).text).toContain('Did you mean `/papers search`?');
    expect((await h.say('/papers top year')).text).toContain('must be one of `day`, `week`, `month`');
    expect((await h.say('/papers search x page:0')).text).toContain('between 1 and 50');
    expect((await h.say('/papers vote')).text).toContain('needs `paper`');
    expect((await h.say('/papers pause now')).text).toContain('got more than it takes');
    expect((await h.say('/papers search ' + 'a'.repeat(10_000))).error).toMatchObject({ kind: 'user' });
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
