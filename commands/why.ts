import { resolvePaper } from '../src/commands/paper-ref.ts';
import { code } from '../src/commands/text.ts';
import { defineCommand } from '../src/commands/types.ts';
import { parseArxivId } from '../src/domain/paper.ts';
import { planChannelDigest } from '../src/digest/preview.ts';

export const why = defineCommand({
  name: 'why',
  description: "Why a paper was or wasn't posted here",
  options: [{ name: 'paper', type: 'string', description: 'arXiv id or link', required: true, maxLength: 200, autocomplete: 'paper' }],
  access: 'member',
  examples: ['/papers why 2608.19880'],
  async handler({ options, store, clock, logger, channel }) {
    const id = parseArxivId(options.paper);
    if (id && !(await store.papers.get(id))) {
      return { text: `I don't have ${id}: it has not been ingested yet, so no digest could carry it.`, ephemeral: true };
    }
    const paper = await resolvePaper(store, options.paper);
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
      return { text: `${paper.id} ${state}.`, ephemeral: true };
    }
    const plan = await planChannelDigest(store, channel.id, { clock, logger });
    const picked = plan.picked.find((p) => p.paperId === paper.id);
    if (picked) return { text: `${paper.id} is in the next digest (${plan.digestDate}), at #${picked.rank}.`, ephemeral: true };
    const cut = plan.cut.find((p) => p.paperId === paper.id);
    if (cut) return { text: `${paper.id} matches, but ranks #${cut.rank} and the digest keeps the top ${plan.picked.length}; more upvotes or team votes would lift it.`, ephemeral: true };
    const listings = await store.papers.listingsOf(paper.id);
    if (listings.length === 0) return { text: `${paper.id} is in my store but was never listed on a day (not on HF Daily Papers or an arXiv announcement), so digests don't carry it.`, ephemeral: true };
    const first = listings[0]!;
    if (first.day < plan.from) {
      return { text: `${paper.id} was listed on ${first.day}, before this channel's digest window (${plan.from} to ${plan.to}); digests look back at most 3 days.`, ephemeral: true };
    }
    if (first.day > plan.to) return { text: `${paper.id} is listed on ${first.day}, after ${plan.to}: a later digest may carry it.`, ephemeral: true };
    const topics = await store.topics.list(channel.id);
    return {
      text: `${paper.id} was listed on ${first.day} but matches none of this channel's topics: ${topics.map((t) => code(t.query, 60)).join(', ')}.`,
      ephemeral: true,
    };
  },
});
