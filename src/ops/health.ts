import { sql } from 'kysely';
import { describeError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';

/** A configured platform connection, as health sees it. */
export interface ConnectionState {
  readonly platform: string;
  connected(): boolean;
}

export interface Health {
  ok: boolean;
  /** Why not, one line each; empty when ok. */
  problems: string[];
}

/** A store that takes longer than this to answer `SELECT 1` is as good as down for a probe. */
export const STORE_PROBE_TIMEOUT_MS = 2_000;

/** Healthy: the store answers, and every configured platform is connected. */
export async function checkHealth(store: Store, connections: readonly ConnectionState[], timeoutMs = STORE_PROBE_TIMEOUT_MS): Promise<Health> {
  const problems: string[] = [];
  const storeProblem = await probeStore(store, timeoutMs);
  if (storeProblem) problems.push(storeProblem);
  for (const c of connections) if (!c.connected()) problems.push(`${c.platform} is not connected`);
  return { ok: problems.length === 0, problems };
}

async function probeStore(store: Store, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`the store did not answer within ${timeoutMs} ms`), timeoutMs)));
  try {
    return await Promise.race([
      sql`SELECT 1`.execute(store.db).then(
        () => null,
        (e: unknown) => `the store does not answer (${describeError(e)})`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
