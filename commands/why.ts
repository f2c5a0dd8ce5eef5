import { resolvePaper } from '../src/commands/paper-ref.ts';
import { code, plural } from '../src/commands/text.ts';
import { defineCommand, type CommandContext } from '../src/commands/types.ts';
import type { Paper } from '../src/domain/paper.ts';
import { parseArxivId } from '../src/domain/paper.ts';
import { planChannelDigest } from '../src/digest/preview.ts';
import { paperVectors, teamTaste } from '../src/relevance/taste.ts';

export const why = defineCommand({
  name: 'why',
  description: "Why a paper was or wasn't posted here",
  options: [{ name: 'paper', type: 'string', description: 'arXiv id or link', required: true, maxLength: 200, autocomplete: 'paper' }],
  access: 'member',
  examples: ['/papers why 2608.19880'],
  async handler(ctx) {
    const { options, store } = ctx;
    const id = parseArxivId(options.paper);
    if (id && !(await store.papers.get(id))) {
      return { text: `I don't have ${id}: it has not been ingested yet, so no digest could carry it.`, ephemeral: true };
    }
    const paper = await resolvePaper(store, options.paper);
    const fate = await digestFate(ctx, paper);
    const taste = await tasteLine(ctx, paper);
    return { text: taste ? `${fate}\n${taste}` : fate, ephemeral: true };
  },
});

/** Posted, queued, in the next digest, cut, outside the window, or not matching: one sentence. */
async function digestFate({ store, clock, logger, channel }: CommandContext, paper: Paper): Promise<string> {
  const delivery = await store.outbox.deliveryOf(channel.id, paper.id);
  if (delivery) {
    const topics = JSON.parse(delivery.topics) as string[];
    const because = topics.length ? ` because it matched ${topics.map((t) => code(t, 60)).join(', ')}` : ' (this channel follows every paper)';
    const state = {
      sent: `was posted here in the digest of ${delivery.digest_date}, at #${delivery.rank}${because}`,
      planned: `is queued for the digest of ${delivery.digest_date}, at #${delivery.rank}${because}`,
      sending: `is being posted in the digest of ${delivery.digest_date}`,
      failed: `was planned for ${delivery.digest_date} but posting failed: ${delivery.last_error ?? 'unknown error'}`,
    }[delivery.state];
    return `${paper.id} ${state}.`;
  }
  const plan = await planChannelDigest(store, channel.id, { clock, logger });
  const picked = plan.picked.find((p) => p.paperId === paper.id);
  if (picked) return `${paper.id} is in the next digest (${plan.digestDate}), at #${picked.rank}.`;
  const cut = plan.cut.find((p) => p.paperId === paper.id);
  if (cut) {
    const lift = plan.tasteRanked ? "more upvotes, team votes or a closer match to the team's taste" : 'more upvotes or team votes';
    return `${paper.id} matches, but ranks #${cut.rank} and the digest keeps the top ${plan.picked.length}; ${lift} would lift it.`;
  }
  const listings = await store.papers.listingsOf(paper.id);
  if (listings.length === 0) return `${paper.id} is in my store but was never listed on a day (not on HF Daily Papers or an arXiv announcement), so digests don't carry it.`;
  const first = listings[0]!;
  if (first.day < plan.from) {
    return `${paper.id} was listed on ${first.day}, before this channel's digest window (${plan.from} to ${plan.to}); digests look back at most 3 days.`;
  }
  if (first.day > plan.to) return `${paper.id} is listed on ${first.day}, after ${plan.to}: a later digest may carry it.`;
  const topics = await store.topics.list(channel.id);
  return `${paper.id} was listed on ${first.day} but matches none of this channel's topics: ${topics.map((t) => code(t.query, 60)).join(', ')}.`;
}

/** Once the team has a taste model: its score of the paper and the words that moved it. */
async function tasteLine({ store, team, clock }: CommandContext, paper: Paper): Promise<string | null> {
  const taste = await teamTaste(store, team.id, clock.now());
  if (!taste.model) return null;
  const { vectors } = await paperVectors(store, [paper]);
  const why = taste.model.explain(paper, vectors.get(paper.id)!);
  const score = `${why.score >= 0 ? '+' : ''}${why.score.toFixed(2)}`;
  const parts = [`Team taste score ${score} (learnt from ${plural(taste.positives, 'paper')} voted for or saved here; above 0 reads like them).`];
  if (why.up.length) parts.push(`Pushed up by ${why.up.map((w) => code(w, 40)).join(', ')}.`);
  if (why.down.length) parts.push(`Pushed down by ${why.down.map((w) => code(w, 40)).join(', ')}.`);
  if (!why.up.length && !why.down.length) parts.push('None of its words carries weight in the model.');
  return parts.join(' ');
}
