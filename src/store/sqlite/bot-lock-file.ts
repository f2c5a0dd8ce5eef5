import BetterSqlite3 from 'better-sqlite3';

/**
 * An OS-level lock beside a SQLite store: `<db>.lock`, a small SQLite file held in an
 * exclusive transaction for the life of the process. The lock is the kernel's (a POSIX
 * advisory lock on the file), so it dies with the process, SIGKILL included: a crashed bot
 * never blocks the next start, and no stale pid file needs cleaning up.
 */
export interface HeldFileLock {
  release(): void;
}

/** The held lock, or null when another process holds it now. */
export function tryLockFile(path: string): HeldFileLock | null {
  const raw = new BetterSqlite3(path);
  try {
    raw.pragma('busy_timeout = 0'); // answer at once: a running bot holds it for hours
    raw.pragma('locking_mode = EXCLUSIVE');
    raw.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    raw.close();
    if ((e as { code?: unknown }).code === 'SQLITE_BUSY') return null;
    throw e;
  }
  return {
    release: () => {
      if (!raw.open) return;
      raw.exec('ROLLBACK');
      raw.close();
    },
  };
}
