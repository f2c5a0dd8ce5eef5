import { Cite } from '@citation-js/core';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-ris';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';

/**
 * `/papers export [bibtex|ris|csl-json]` (issue 12, item 5) on recorded HF papers, read back
 * by citation-js (the parser behind many reference-manager tools): its RIS plugin for RIS, its
 * CSL-JSON input and citeproc rendering (plugin-csl) for CSL-JSON.
 */
let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness();
});
afterEach(async () => {
  await h.close();
});

async function saveTwo(): Promise<void> {
  await h.say("/papers save 2608.19880 for Friday's reading group");
  await h.say('/papers save 2608.19880 baseline to beat', { user: 'ada' });
  await h.say('/papers save 2608.19799', { user: 'ada' });
  await h.say('/papers save 2608.14391', { team: 'other' });
}

/** What every export must carry, checked on citation-js's CSL reading of it. */
async function expectRecordedPapers(items: Array<Record<string, any>>): Promise<void> {
  expect(items).toHaveLength(2);
  for (const id of ['2608.19880', '2608.19799']) {
    const p = (await h.app.runtime.store.papers.get(id))!;
    const item = items.find((i) => i.number === `arXiv:${id}`)!;
    expect(item, id).toBeDefined();
    expect(item.title).toBe(p.title);
    expect(item.DOI).toBe(`10.48550/arXiv.${id}`);
    expect(item.URL).toBe(`https://arxiv.org/abs/${id}`);
    expect(item.issued['date-parts'][0][0]).toBe(Number(p.publishedAt!.slice(0, 4)));
    expect(item.author.map((a: { given?: string; family: string }) => [a.given, a.family].filter(Boolean).join(' '))).toEqual(p.authors);
  }
  const noted = items.find((i) => i.number === 'arXiv:2608.19880')!;
  expect(noted.note).toContain("for Friday's reading group");
  expect(noted.note).toContain('baseline to beat');
  expect(items.find((i) => i.number === 'arXiv:2608.19799')!.note).toBeUndefined();
}

describe('/papers export', () => {
  it('ris: a file citation-js reads back, with arXiv id, DOI, authors, year, URL and notes', async () => {
    await saveTwo();
    const r = await h.say('/papers export ris');
    expect(r.error).toBeUndefined();
    expect(r.file).toMatchObject({ name: 'paperboy-saved.ris', contentType: 'application/x-research-info-systems' });
    expect(r.file!.content).toMatch(/^TY {2}- UNPB\r\n/);
    expect(r.file!.content).toContain('AN  - arXiv:2608.19880');
    const items = new Cite(r.file!.content, { forceType: '@ris/file' }).data;
    await expectRecordedPapers(items);
    expect(r.file!.entries).toHaveLength(2);
  });

  it('csl-json: valid CSL that citeproc renders, with the same fields', async () => {
    await saveTwo();
    const r = await h.say('/papers export csl-json');
    expect(r.file).toMatchObject({ name: 'paperboy-saved.json', contentType: 'application/vnd.citationstyles.csl+json' });
    const cite = new Cite(JSON.parse(r.file!.content));
    await expectRecordedPapers(cite.data);
    const p = (await h.app.runtime.store.papers.get('2608.19880'))!;
    const bibliography = cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' });
    expect(bibliography).toContain(p.authors[0]!.split(' ').pop()!);
    expect(bibliography).toContain('https://doi.org/10.48550/arXiv.2608.19880');
    // Each record alone is a CSL item too (Slack shows them in arrays of whole records).
    for (const e of r.file!.entries!) expect(new Cite([JSON.parse(e)]).data).toHaveLength(1);
  });

  it('bibtex stays the default', async () => {
    await saveTwo();
    expect((await h.say('/papers export')).file?.name).toBe('paperboy-saved.bib');
    expect((await h.say('/papers export bibtex')).file?.name).toBe('paperboy-saved.bib');
  });

  it('refuses an unknown format politely', async () => {
    await saveTwo();
    const r = await h.say('/papers export endnote');
    expect(r).toMatchObject({ ephemeral: true, error: { kind: 'user' } });
    expect(r.text).toMatch(/bibtex.*ris.*csl-json/);
  });
});
