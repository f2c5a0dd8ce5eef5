import type { InstanceIdentity } from './instances.ts';
import type { InstanceRow } from './schema.ts';
import type { Store } from './store.ts';
import { tryLockFile } from './sqlite/bot-lock-file.ts';

/**
 * One bot process per SQLite file. SQLite has one writer at a time and the bot assumes it is
 * alone there; the CLI commands (ingest, search, run, digest, backup) take no lock and keep
 * working beside it. On PostgreSQL any number of bots may share the store (their work is
 * claimed under leases), so there is nothing to hold.
 */
export interface BotLock {
  release(): void;
}

export class BotAlreadyRunningError extends Error {
  override readonly name = 'BotAlreadyRunningError';
  constructor(
    readonly dbPath: string,
    readonly holder: InstanceRow | undefined,
  ) {
    const who = holder
      ? `pid ${holder.pid} on host ${holder.host} (started ${holder.started_at}, last seen ${holder.heartbeat_at})`
      : `a process that holds ${dbPath}.lock (its pid and host are not recorded)`;
    super(
      `another Paperboy bot is already running on ${dbPath}: ${who}. ` +
        'Stop it first: one bot per SQLite file (the CLI commands work beside it). To run several bots, share a PostgreSQL store (PAPERBOY_DB=postgres://...).',
    );
  }
}

/** postgres:// and postgresql:// URLs name a PostgreSQL store; anything else is a SQLite file path. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * Takes the bot's place on the store, or throws BotAlreadyRunningError naming the bot that
 * has it (read from the instances table). On SQLite, holding the lock proves every other
 * registered instance dead (killed bots never deregister), so they are forgotten and their
 * unsettled posts are recovered at once instead of when their leases run out.
 */
export async function holdBotLock(dbPath: string, store: Store, me: InstanceIdentity): Promise<BotLock> {
  if (isPostgresUrl(dbPath) || dbPath === ':memory:') return { release: () => undefined };
  const lock = tryLockFile(`${dbPath}.lock`);
  if (!lock) {
    const [holder] = (await store.instances.all()).filter((i) => i.id !== me.id).sort((a, b) => b.heartbeat_at.localeCompare(a.heartbeat_at));
    throw new BotAlreadyRunningError(dbPath, holder);
  }
  await store.instances.removeAllExcept(me.id);
  return lock;
}
