import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHarness, type CoreHarness } from '../support/core-harness.ts';
import { paper } from '../search/hand-made-papers.ts';

/** Three themes of three papers, a paper on nothing else's subject, and one with no words to compare. */
const PAPERS = [
  paper('2501.00101', 'Graph Neural Networks for Molecule Property Prediction', 'We train graph neural networks on molecular graphs to predict molecule properties such as solubility and toxicity.'),
  paper('2501.00102', 'Message Passing on Molecular Graphs', 'A message passing graph neural network predicts molecular properties, including solubility, from atoms and bonds.'),
  paper('2501.00103', 'Equivariant Graph Networks for Molecules', 'Equivariant graph neural networks model molecules and their properties in three dimensions.'),
  paper('2501.00201', 'Streaming Speech Recognition with Transducers', 'A streaming transducer recognizes speech with low latency on device.'),
  paper('2501.00202', 'Self-Supervised Speech Representations', 'Self-supervised pretraining on unlabeled speech improves speech recognition accuracy.'),
  paper('2501.00203', 'Low-Latency Speech Recognition on Device', 'We cut speech recognition latency with a streaming encoder that runs on device.'),
  paper('2501.00301', 'Learning Robot Grasping from Demonstrations', 'A robot arm learns grasping of unseen objects from human demonstrations.'),
  paper('2501.00302', 'Dexterous Grasping with Tactile Sensing', 'Tactile sensors let a robot hand adjust its grasping of fragile objects.'),
  paper('2501.00303', 'Sim-to-Real Transfer for Robot Manipulation', 'Policies trained in simulation transfer to a real robot arm for grasping and manipulation of objects.'),
  paper('2501.00401', 'Medieval Tax Ledgers of Lombardy', 'Archival ledgers document municipal taxation in fourteenth-century towns.'),
  paper('2501.00501', 'On the Other', ''),
];

let h: CoreHarness;
beforeEach(async () => {
  h = await coreHarness({ days: [] });
  await h.app.store.papers.upsertMany(PAPERS.map((p) => ({ paper: p, listing: null })), h.clock.now());
});
afterEach(async () => {
  await h.close();
});

const ids = (r: { cards?: Array<{ paper: { id: string } }> }) => (r.cards ?? []).map((c) => c.paper.id);

describe('/papers similar', () => {
  it('finds the papers of the same subject first, most alike first, and says what they share', async () => {
    const r = await h.say('/papers similar 2501.00101');
    expect(r.error).toBeUndefined();
    expect(r.title).toBe('Similar papers');
    expect(ids(r).slice(0, 2).sort()).toEqual(['2501.00102', '2501.00103']);
    expect(ids(r)).not.toContain('2501.00101');
    const notes = r.cards!.map((c) => c.note ?? '');
    const similarity = notes.map((n) => Number(/Similarity (\d\.\d\d)/.exec(n)?.[1]));
    expect(similarity).toEqual([...similarity].sort((a, b) => b - a));
    expect(notes[0]).toMatch(/shares: .*(graph|molecul|solubility|properties)/);

    expect(ids(await h.say('/papers similar https://arxiv.org/abs/2501.00201')).slice(0, 2).sort()).toEqual(['2501.00202', '2501.00203']);
    expect(ids(await h.say('/papers similar 2501.00302')).slice(0, 2).sort()).toEqual(['2501.00301', '2501.00303']);
  });

  it('answers politely when there is nothing to compare or nothing alike', async () => {
    const lonely = await h.say('/papers similar 2501.00401');
    expect(lonely).toMatchObject({ ephemeral: true });
    expect(lonely.error).toBeUndefined();
    expect(lonely.text).toBe('I found no paper like 2501.00401 (`Medieval Tax Ledgers of Lombardy`): no other paper I have shares its telling words.');
    const empty = await h.say('/papers similar 2501.00501');
    expect(empty).toMatchObject({ ephemeral: true });
    expect(empty.text).toContain('2501.00501 has too little text to compare with other papers: it has no abstract');
  });

  it('refuses unknown and malformed ids as the person\'s mistake', async () => {
    expect(await h.say('/papers similar 2501.09999')).toMatchObject({ ephemeral: true, error: { kind: 'user', code: 'not_found' } });
    expect(await h.say('/papers similar not-a-paper')).toMatchObject({ ephemeral: true, error: { kind: 'user', code: 'bad_option' } });
    expect((await h.say('/papers similar')).text).toContain('needs `paper`');
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
