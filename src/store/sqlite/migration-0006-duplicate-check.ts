import { type Kysely, type Migration } from 'kysely';

/**
 * Why the platform check before a re-post cannot run in a channel (Slack without the history
 * scopes), as the adapter last found it: /papers status tells a manager, since a post whose
 * outcome is unknown may then appear twice.
 */
export const duplicateCheck: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('channels').addColumn('duplicate_check_problem', 'text').execute();
  },
};
