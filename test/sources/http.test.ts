import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, getXml, isRetryableStatus } from '../../src/sources/http.ts';
import { JSON_HEADERS, startReplayServer, type ReplayServer } from '../support/replay-server.ts';

let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer([
    { path: '/ok', headers: JSON_HEADERS, body: '[{"a":1}]' },
    { path: '/empty', headers: JSON_HEADERS, body: '[]' },
    { path: '/slow', hang: true },
    { path: '/boom', status: 500, body: 'Internal Server Error' },
    { path: '/gone', status: 404, headers: JSON_HEADERS, body: '{"error":"Not Found"}' },
    { path: '/busy', status: 429, headers: { 'retry-after': '30' }, body: 'slow down' },
    { path: '/html', headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>Login</body></html>' },
    { path: '/html-as-json', headers: JSON_HEADERS, body: '<html><head><title>502</title></head></html>' },
    { path: '/garbage', headers: JSON_HEADERS, body: '{"papers": [1, 2' },
    { path: '/feed', headers: { 'content-type': 'application/atom+xml' }, body: '<?xml version="1.0"?><feed/>' },
    { path: '/not-xml', body: 'Rate exceeded.' },
  ]);
});
afterAll(() => server.close());

const opts = { timeoutMs: 2000 };

describe('getJson', () => {
  it('returns the parsed body of a 200', async () => {
    expect(await getJson(`${server.url}/ok`, opts)).toEqual({ ok: true, value: [{ a: 1 }] });
    expect(await getJson(`${server.url}/empty`, opts)).toEqual({ ok: true, value: [] });
  });

  it('turns a server that never answers into a retryable timeout', async () => {
    const r = await getJson(`${server.url}/slow`, { timeoutMs: 150 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(r.error.message).toContain('150 ms');
  });

  it('marks 5xx and 429 retryable and other 4xx not', async () => {
    const boom = await getJson(`${server.url}/boom`, opts);
    const gone = await getJson(`${server.url}/gone`, opts);
    const busy = await getJson(`${server.url}/busy`, opts);
    expect(boom).toMatchObject({ ok: false, error: { kind: 'http', status: 500, retryable: true } });
    expect(gone).toMatchObject({ ok: false, error: { kind: 'http', status: 404, retryable: false } });
    expect(busy).toMatchObject({ ok: false, error: { kind: 'http', status: 429, retryable: true } });
  });

  it('calls an HTML page or broken JSON a bad body instead of throwing', async () => {
    for (const path of ['/html', '/html-as-json', '/garbage']) {
      const r = await getJson(`${server.url}${path}`, opts);
      expect(r, path).toMatchObject({ ok: false, error: { kind: 'bad-body', retryable: false } });
    }
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = await startReplayServer();
    const url = `${closed.url}/x`;
    await closed.close();
    const r = await getJson(url, opts);
    expect(r).toMatchObject({ ok: false, error: { kind: 'network', retryable: true } });
    if (!r.ok) expect(r.error.message).toContain('ECONNREFUSED');
  });

  it('uses the injected fetch, and a fetch that throws is still an error value', async () => {
    const calls: string[] = [];
    const throwing = async (u: string) => {
      calls.push(u);
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) });
    };
    const r = await getJson('https://huggingface.invalid/api', { timeoutMs: 1000, fetch: throwing });
    expect(calls).toEqual(['https://huggingface.invalid/api']);
    expect(r).toMatchObject({ ok: false, error: { kind: 'network', retryable: true } });
    if (!r.ok) expect(r.error.message).toContain('ENOTFOUND');
  });
});

describe('getXml', () => {
  it('returns XML text, and refuses HTML or plain text', async () => {
    expect(await getXml(`${server.url}/feed`, opts)).toMatchObject({ ok: true, value: expect.stringContaining('<feed/>') });
    expect(await getXml(`${server.url}/html`, opts)).toMatchObject({ ok: false, error: { kind: 'bad-body' } });
    expect(await getXml(`${server.url}/not-xml`, opts)).toMatchObject({ ok: false, error: { kind: 'bad-body' } });
  });
});

describe('isRetryableStatus', () => {
  it.each([
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])('%i -> %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});

it('asked the replay server only for routes it serves', () => {
  expect(server.unmatched).toEqual([]);
});
