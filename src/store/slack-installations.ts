import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * A Slack workspace's install as stored: `data` is the installation (tokens included) as
 * JSON, opaque here; the adapter knows its shape (Bolt's Installation).
 */
export interface SlackInstallRecord {
  /** The team id; `org:<enterprise id>` for an org-wide install. */
  key: string;
  teamId: string | null;
  enterpriseId: string | null;
  botUserId: string | null;
  data: string;
}

/**
 * Slack OAuth installs (install mode). Nothing leaves or enters the table unsealed: every
 * read and write goes through `withKey(box)`, which seals `data` with PAPERBOY_SECRET_KEY and
 * binds it to its row's key.
 */
export class SlackInstallationsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  withKey(box: SecretBox): SealedSlackInstallations {
    return new SealedSlackInstallations(this.db, box);
  }
}

export class SealedSlackInstallations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /** Stores the install, replacing the workspace's earlier one (a reinstall brings new tokens). */
  async save(rec: SlackInstallRecord, now: Date): Promise<void> {
    const stamp = now.toISOString();
    const sealed = this.box.seal(rec.data, aad(rec.key));
    await this.db
      .insertInto('slack_installations')
      .values({ install_key: rec.key, team_id: rec.teamId, enterprise_id: rec.enterpriseId, bot_user_id: rec.botUserId, sealed, installed_at: stamp, updated_at: stamp })
      .onConflict((oc) => oc.column('install_key').doUpdateSet({ team_id: rec.teamId, enterprise_id: rec.enterpriseId, bot_user_id: rec.botUserId, sealed, updated_at: stamp }))
      .execute();
  }

  /** The install, opened; undefined when there is none. Throws SecretOpenError under a wrong key. */
  async find(key: string): Promise<SlackInstallRecord | undefined> {
    const row = await this.db.selectFrom('slack_installations').selectAll().where('install_key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    return { key: row.install_key, teamId: row.team_id, enterpriseId: row.enterprise_id, botUserId: row.bot_user_id, data: this.box.open(row.sealed, aad(row.install_key)) };
  }

  /** Deletes the install and its tokens; whether there was one. */
  async delete(key: string): Promise<boolean> {
    const r = await this.db.deleteFrom('slack_installations').where('install_key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

/** What a sealed value is bound to: it opens only in its own row. */
const aad = (key: string) => `slack_installations:${key}`;
