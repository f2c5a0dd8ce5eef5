import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';

export interface StoreGaugeValues {
  sources: Array<{ source: string; lastOkAt: string | null; lastItems: number }>;
  disabledChannels: number;
  dueUnsent: number;
}

/** The backlog an operator watches, read from the store (the same for every instance on it). */
export function storeGauges(store: Store, clock: Clock): { read(): Promise<StoreGaugeValues> } {
  return {
    async read() {
      const now = clock.now().toISOString();
      const sources = await store.db.selectFrom('source_status').select(['source', 'last_ok_at', 'last_items']).orderBy('source').execute();
      const disabled = await store.db
        .selectFrom('channels as c')
        .innerJoin('teams as t', 't.id', 'c.team_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where((eb) => eb.or([eb('c.disabled_reason', 'is not', null), eb('t.disabled_reason', 'is not', null)]))
        .executeTakeFirstOrThrow();
      const due = await store.db
        .selectFrom('digests as d')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('d.due_at', '<=', now)
        // Headers are delivery rows too (kind 'header').
        .where((eb) => eb.exists(eb.selectFrom('deliveries as x').select('x.id').whereRef('x.digest_id', '=', 'd.id').where('x.state', 'in', ['planned', 'sending'])))
        .executeTakeFirstOrThrow();
      return {
        sources: sources.map((s) => ({ source: s.source, lastOkAt: s.last_ok_at, lastItems: s.last_items })),
        disabledChannels: Number(disabled.n),
        dueUnsent: Number(due.n),
      };
    },
  };
}
