import type { Kysely } from 'kysely';
import type { Database, DeliveryRow } from './schema.ts';

export class DeliveriesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The delivery behind a posted message: how a reaction on a digest post finds its paper. */
  async byMessage(channelId: number, messageId: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('channel_id', '=', channelId).where('message_id', '=', messageId).executeTakeFirst();
  }

  /**
   * Records a paper message already posted to a channel. The scheduled outbox plans rows
   * first and claims them; this is the direct path for a post that happened outside it.
   */
  async recordPosted(d: { channelId: number; digestDate: string; paperId: string; rank: number; messageId: string }, now: Date): Promise<void> {
    const stamp = now.toISOString();
    await this.db
      .insertInto('deliveries')
      .values({
        channel_id: d.channelId,
        digest_date: d.digestDate,
        paper_id: d.paperId,
        rank: d.rank,
        state: 'sent',
        message_id: d.messageId,
        created_at: stamp,
        updated_at: stamp,
      })
      .onConflict((oc) => oc.columns(['channel_id', 'digest_date', 'paper_id']).doUpdateSet({ state: 'sent', message_id: d.messageId, updated_at: stamp }))
      .execute();
  }

  /** Papers already delivered (or on their way) to a channel. */
  async deliveredPaperIds(channelId: number, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('deliveries')
      .select('paper_id')
      .where('channel_id', '=', channelId)
      .where('paper_id', 'in', [...paperIds])
      .execute();
    return new Set(rows.map((r) => r.paper_id));
  }
}
