import BetterSqlite3 from 'better-sqlite3';

export interface BackupResult {
  totalPages: number;
}

/**
 * An online backup of a SQLite store through SQLite's backup API (better-sqlite3's `backup`):
 * consistent while a bot keeps writing, since the copy restarts its pass over pages the writer
 * changes, and it copies what the write-ahead log holds too. The source is opened read-only.
 */
export async function backupSqlite(source: string, destination: string): Promise<BackupResult> {
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    // A bot checkpointing the WAL holds the lock briefly: wait for it rather than fail.
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(destination);
    return { totalPages };
  } finally {
    db.close();
  }
}
