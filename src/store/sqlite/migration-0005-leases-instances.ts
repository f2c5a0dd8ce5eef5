import { type Kysely, type Migration } from 'kysely';

/**
 * Many instances over one store: a claimed delivery or digest header carries its owner
 * (an instance id) and a lease; a row whose lease has run out may be taken over, a row a
 * live instance holds never is. Running instances register themselves and heartbeat, so
 * "who is running" is a question the store can answer (and a refusal can name them).
 */
export const leasesInstances: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('deliveries').addColumn('lease_owner', 'text').execute();
    await db.schema.alterTable('deliveries').addColumn('lease_until', 'text').execute();
    await db.schema.alterTable('digests').addColumn('header_lease_owner', 'text').execute();
    await db.schema.alterTable('digests').addColumn('header_lease_until', 'text').execute();
    // Recovery and take-over look for 'sending' rows whose lease has passed.
    await db.schema.createIndex('deliveries_state_lease').on('deliveries').columns(['state', 'lease_until']).execute();

    await db.schema
      .createTable('instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'text', (c) => c.notNull())
      .execute();
  },
};
