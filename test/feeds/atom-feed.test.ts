import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedRequestHandler } from '../../src/feeds/http.ts';
import { serveHandlers } from '../../src/feeds/server.ts';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/**
 * `/papers feed` (issue 12, item 4): a manager gets the channel's private Atom URL, served at
 * GET /feeds/<token>.atom over a real loopback HTTP server, holding the recorded HF papers the
 * channel's digests posted, newest post first; the feed is read back by fast-xml-parser.
 */
let h: CoreHarness;
let base: string;
let close: () => Promise<void>;
beforeEach(async () => {
  h = await coreHarness({ publicUrl: 'https://papers.example.org' });
  const handler = feedRequestHandler({ store: h.app.store, clock: h.clock, logger: h.logger, publicUrl: 'https://papers.example.org/' });
  const served = await serveHandlers(0, [handler], '127.0.0.1');
  base = `http://127.0.0.1:${served.port}`;
  close = served.close;
});
afterEach(async () => {
  await close();
  await h.close();
});

const TOKEN_URL = /`(\S*\/feeds\/([A-Za-z0-9_-]{32})\.atom)`/;

async function feedToken(line = '/papers feed'): Promise<{ url: string; token: string }> {
  const r = await h.say(line);
  expect(r.error).toBeUndefined();
  expect(r.ephemeral).toBe(true);
  const m = TOKEN_URL.exec(r.text)!;
  expect(m, r.text).not.toBeNull();
  return { url: m[1]!, token: m[2]! };
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Parses the feed, checking RFC 4287's required elements on the feed and on every entry. */
function parseAtom(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'author', 'link', 'category'].includes(name) }).parse(xml);
  const feed = doc.feed;
  expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
  for (const k of ['id', 'title', 'updated']) expect(feed[k], k).toBeTruthy();
  expect(new Date(feed.updated).toISOString()).toBe(feed.updated);
  expect(asList(feed.author).length).toBeGreaterThan(0);
  const entries = asList<any>(feed.entry);
  for (const e of entries) {
    for (const k of ['id', 'updated', 'summary']) expect(e[k], k).toBeTruthy();
    expect(e.title['#text']).toBeTruthy();
    expect(asList(e.author).length).toBeGreaterThan(0);
    expect(asList<any>(e.link).filter((l) => l['@rel'] === 'alternate')).toHaveLength(1);
  }
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  return { feed, entries };
}

describe('/papers feed', () => {
  it('serves the posted digests as valid Atom, newest first, with title, authors, abstract and links', async () => {
    await h.say('/papers subscribe agents');
    await h.say('/papers digest post');
    const firstDigest = (await h.app.store.feeds.source((await h.app.store.teams.findChannel((await h.app.store.teams.findTeam('console', 'local'))!.id, 'general'))!.id, h.clock.now()))!.entries.map((e) => e.paper.id);
    h.clock.set('2026-08-22T12:00:00Z');
    await h.say('/papers unsubscribe agents');
    await h.say('/papers subscribe video');
    await h.say('/papers digest post');

    const { url, token } = await feedToken();
    expect(url).toBe(`https://papers.example.org/feeds/${token}.atom`);
    const res = await fetch(`${base}/feeds/${token}.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const { feed, entries } = parseAtom(await res.text());
    expect(feed.title).toBe('Paperboy: #general');
    expect(asList<any>(feed.link)[0]).toMatchObject({ '@rel': 'self', '@href': url });
    expect(entries.length).toBeGreaterThan(firstDigest.length);
    // The second digest's posts come first; the first digest's last.
    const ids = entries.map((e) => String(e.id).split(':').pop());
    expect(ids.slice(-firstDigest.length)).toEqual(firstDigest);
    expect(new Date(entries[0].updated) > new Date(entries.at(-1).updated)).toBe(true);

    const paper = (await h.app.store.papers.get(firstDigest[0]!))!;
    const e = entries.find((x) => String(x.id).endsWith(`:${paper.id}`));
    expect(e.title['#text']).toBe(paper.title);
    expect(asList<any>(e.author).map((a) => a.name)).toEqual(paper.authors);
    expect(e.summary['#text']).toBe(paper.abstract.replace(/\s+/g, ' ').trim());
    const links = asList<any>(e.link);
    expect(links.find((l) => l['@rel'] === 'alternate')['@href']).toBe(`https://arxiv.org/abs/${paper.id}`);
    expect(links.find((l) => l['@type'] === 'application/pdf')['@href']).toBe(`https://arxiv.org/pdf/${paper.id}`);
    expect(links.some((l) => l['@href'] === `https://huggingface.co/papers/${paper.id}`)).toBe(true);
    expect(asList<any>(e.category).map((c) => c['@term'])).toEqual(['agents']);
  });

  it('keeps one token until reset; after a reset the old URL is a 404', async () => {
    const first = await feedToken();
    expect((await feedToken()).token).toBe(first.token);
    const empty = parseAtom(await (await fetch(`${base}/feeds/${first.token}.atom`)).text());
    expect(empty.entries).toEqual([]);
    const second = await feedToken('/papers feed reset');
    expect(second.token).not.toBe(first.token);
    expect((await fetch(`${base}/feeds/${first.token}.atom`)).status).toBe(404);
    expect((await fetch(`${base}/feeds/${second.token}.atom`)).status).toBe(200);
  });

  it('is for managers only, and feeds of two channels never mix', async () => {
    const r = await h.say('/papers feed', { manager: false });
    expect(r).toMatchObject({ ephemeral: true, error: { kind: 'user', code: 'forbidden' } });
    const a = await feedToken();
    const other = TOKEN_URL.exec((await h.say('/papers feed', { channel: 'random' })).text)![2]!;
    expect(other).not.toBe(a.token);
    await h.say('/papers digest post');
    expect(parseAtom(await (await fetch(`${base}/feeds/${a.token}.atom`)).text()).entries.length).toBeGreaterThan(0);
    expect(parseAtom(await (await fetch(`${base}/feeds/${other}.atom`)).text()).entries).toEqual([]);
  });

  it('answers guesses and other paths without leaking anything', async () => {
    await feedToken();
    for (const path of ['/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.atom', '/feeds/short.atom', '/feeds/', "/feeds/x'%20OR%201=1.atom"]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('No such feed\n');
    }
    expect((await fetch(`${base}/feeds/x.atom`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});

describe('the feed server', () => {
  it('names PAPERBOY_PORT when the port is taken', async () => {
    const port = Number(new URL(base).port);
    await expect(serveHandlers(port, [], '127.0.0.1')).rejects.toThrow(`Could not listen on port ${port} for /healthz, /metrics and channels' feeds (EADDRINUSE). Set PAPERBOY_PORT to a free port.`);
  });
});
