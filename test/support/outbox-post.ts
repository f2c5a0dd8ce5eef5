import type { PaperCard } from '../../src/commands/types.ts';
import type { ChatPoster } from '../../src/delivery/port.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * Posts one paper to a channel the way the delivery engine does: a one-paper digest planned in
 * the outbox, its row claimed, posted through the adapter's poster under the row's key, marked
 * sent. Tests that need "a digest paper in the channel" go through this, not a side door into
 * the deliveries table. Each call plans its own digest (`slot` and `digestDate` make it unique).
 */
export async function postThroughOutbox(
  store: Store,
  poster: ChatPoster,
  at: { channelId: number; externalId: string; digestDate: string; slot: string },
  card: PaperCard,
  now: Date,
): Promise<{ deliveryId: number; messageId: string }> {
  const digestId = await store.outbox.plan(
    {
      channelId: at.channelId,
      digestDate: at.digestDate,
      slot: at.slot,
      dueAt: now,
      kind: 'manual',
      windowFrom: at.digestDate,
      windowTo: at.digestDate,
      header: false,
      papers: [{ paperId: card.paper.id, rank: 1, topics: [] }],
    },
    now,
  );
  if (digestId === null) throw new Error(`digest ${at.digestDate} ${at.slot} was planned already`);
  const lease = { owner: 'test', until: new Date(now.getTime() + 60_000) };
  const row = await store.outbox.claimNext(at.channelId, now, lease);
  if (!row || row.digest_id !== digestId) throw new Error('the planned paper could not be claimed (another post of this channel is waiting?)');
  const outcome = await poster.post(at.externalId, { kind: 'paper', key: `d${row.id}`, card, digestDate: row.digest_date, attempt: row.attempts });
  if (!outcome.ok) throw new Error(`post failed: ${outcome.reason}`);
  if (!(await store.outbox.markSent(row.id, outcome.messageId, now, lease.owner))) throw new Error('lost the claim on the test post');
  return { deliveryId: row.id, messageId: outcome.messageId };
}
