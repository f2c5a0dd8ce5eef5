import { arxivLinks, type IngestItem, type Paper } from '../../src/domain/paper.ts';
import type { OpenStoreOptions, Store } from '../../src/store/store.ts';
import { openTestStore } from '../support/test-store.ts';

export function paper(id: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    title,
    abstract,
    authors: [],
    org: null,
    publishedAt: '2024-01-01T00:00:00.000Z',
    upvotes: 0,
    comments: 0,
    links: { ...arxivLinks(id), hf: null, github: null, project: null },
    thumbnailUrl: null,
    aiSummary: null,
    keywords: [],
    categories: [],
    source: 'arxiv',
    ...extra,
  };
}

/** Each paper exists to make one syntax's result checkable; the comments say which. */
export const HAND_MADE: Paper[] = [
  paper('1706.03762', 'Attention Is All You Need', 'We propose the Transformer, a network architecture based solely on attention mechanisms.', {
    authors: ['Ashish Vaswani', 'Noam Shazeer'],
    publishedAt: '2017-06-12T00:00:00.000Z',
  }),
  // `multi-agent` must match "multi-agent" and "multi agent", not "multi" and "agent" apart.
  paper('2401.00001', 'Multi-Agent Reinforcement Learning for Traffic Control', 'Cooperative multi agent policies coordinate traffic lights.', {
    authors: ['Lena Park'],
  }),
  paper('2401.00002', 'Multi-Task Pretraining of a Single Agent', 'One agent learns many tasks; multi objective optimisation helps.', { authors: ['Omar Reyes'] }),
  // `who's` and `20.04`: punctuation inside a word.
  paper('2401.00003', "Who's Afraid of Noisy Labels?", 'A study of label noise in crowd-sourced benchmarks.', { authors: ['Ines Moreau'] }),
  paper('2401.00004', 'Reproducible Builds on Ubuntu 20.04', 'Pinned toolchains make training runs repeatable.', { authors: ['Kai Lindqvist'] }),
  paper('2401.00005', 'Version Drift in Benchmarks', 'Scores moved between release 20 and patch 04 of the suite.', { authors: ['Kai Lindqvist'] }),
  // author:, author:"First Last", since:, OR.
  paper('2312.00752', 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces', 'Selective state space models match attention quality at linear cost.', {
    authors: ['Albert Gu', 'Tri Dao'],
    publishedAt: '2023-12-01T00:00:00.000Z',
  }),
  paper('2307.08691', 'FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning', 'An IO-aware exact attention kernel.', {
    authors: ['Tri Dao'],
    publishedAt: '2023-07-17T00:00:00.000Z',
  }),
  paper('2401.00006', 'Dao Tri Reading Group Notes', 'Notes from a reading group on kernels.', { authors: ['Minh Dao', 'Tri Nguyen'] }),
  // Words (implicit AND) and -exclusion.
  paper('2006.11239', 'Denoising Diffusion Probabilistic Models', 'High quality image synthesis using diffusion probabilistic models.', {
    authors: ['Jonathan Ho'],
    publishedAt: '2020-06-19T00:00:00.000Z',
  }),
  paper('2105.05233', 'Diffusion Models Beat GANs on Image Synthesis', 'Diffusion models achieve better sample quality than GANs.', {
    authors: ['Prafulla Dhariwal', 'Alex Nichol'],
    publishedAt: '2021-05-11T00:00:00.000Z',
  }),
  paper('2401.00007', 'Speech Recognition with State Space Models', 'Long audio sequences are modelled with a space-efficient state model.', {
    authors: ['Ravi Iyer'],
  }),
  // NEAR as a word, diacritics, capitalised NOT in a title.
  paper('2401.00008', 'Near-Field Imaging with Neural Fields', 'Reconstruction of near field scattering.', { authors: ['José Álvarez'] }),
  paper('2401.00009', 'Naïve Bayes Revisited', 'A naïve classifier still competes on short texts.', { authors: ['Zoë Šimić'] }),
  paper('2412.21187', 'Do NOT Think That Much for 2+3=? On the Overthinking of o1-Like LLMs', 'Reasoning models think too long about easy problems.', {
    authors: ['Xingyu Chen'],
    publishedAt: '2024-12-30T00:00:00.000Z',
  }),
  // title: must prefer a title match over the same word in an abstract.
  paper('2401.00010', 'Sparse Kernels for Graph Networks', 'We discuss attention in graph networks only in passing.', { authors: ['Ada Byron'] }),
];

export function items(papers: Paper[]): IngestItem[] {
  return papers.map((p) => ({ paper: p, listing: null }));
}

export async function storeWith(papers: Paper[] = HAND_MADE, options: OpenStoreOptions = {}): Promise<Store> {
  const store = await openTestStore(options);
  await store.papers.upsertMany(items(papers), new Date('2026-07-01T00:00:00Z'));
  return store;
}
