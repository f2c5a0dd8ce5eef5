import { type Kysely, type Migration } from 'kysely';

/**
 * Slack workspaces that installed the app through OAuth (install mode). The installation,
 * tokens included, is one sealed value (secret-box.ts); only what finds it stays readable.
 */
export const slackInstallations: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('slack_installations')
      // The workspace's team id; `org:<enterprise id>` for an org-wide install.
      .addColumn('install_key', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text')
      .addColumn('enterprise_id', 'text')
      .addColumn('bot_user_id', 'text')
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('installed_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
