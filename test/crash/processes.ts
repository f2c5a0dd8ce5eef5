import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
/** Inside the repository's node_modules, so the bundle's package imports resolve as the sources' do. */
const BUILD_DIR = fileURLToPath(new URL('../../node_modules/.cache/paperboy-crash/', import.meta.url));
/** Kept for a failure message: the end of what a child wrote to stderr. */
const STDERR_KEPT = 20_000;

interface Esbuild {
  buildSync(options: { entryPoints: string[]; outfile: string; bundle: true; packages: 'external'; platform: 'node'; format: 'esm'; target: string; sourcemap: 'inline'; logLevel: 'error' }): unknown;
}

/**
 * Compiles test/crash/child.ts and the sources it imports into one ES module, with tsx's own
 * esbuild. Run under `node --import tsx`, each start spends over a second sending every module
 * through the loader hooks; a crash run starts about seventy bots, so it runs the same code
 * compiled once. Packages stay imports, resolved from node_modules as under tsx.
 */
export function buildBot(): { path: string; remove(): void } {
  const requireFromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuild = requireFromTsx('esbuild') as Esbuild;
  const path = join(BUILD_DIR, `bot-${process.pid}-${Date.now()}.mjs`);
  mkdirSync(dirname(path), { recursive: true });
  esbuild.buildSync({ entryPoints: [CHILD], outfile: path, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', sourcemap: 'inline', logLevel: 'error' });
  return { path, remove: () => rmSync(path, { force: true }) };
}

export interface Bot {
  readonly pid: number;
  /** Starts delivering with its clock at `now`. */
  go(now: Date): void;
  kill(): void;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/**
 * Bot processes (the bundle `buildBot()` made). Loading the modules still takes most of a
 * second, so one spare is always loading while the current bot runs: a restart after a kill
 * costs what a real restart costs past start-up, opening the database onwards. Every process
 * is killed by `closeAll()`, and each exits by itself when its stdin closes.
 */
export class Bots {
  private readonly live = new Set<ChildProcess>();
  private spare: Promise<Bot> | null = null;

  constructor(
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  /** A loaded bot, not yet started; the next spare starts loading at once. */
  async take(): Promise<Bot> {
    const bot = await (this.spare ?? this.spawn());
    this.spare = this.spawn();
    this.spare.catch(() => undefined); // a spare that dies while loading is reported by take()
    return bot;
  }

  async closeAll(): Promise<void> {
    const all = [...this.live];
    for (const child of all) child.kill('SIGKILL');
    await Promise.all(all.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))));
    this.spare = null;
  }

  private spawn(): Promise<Bot> {
    const child = spawn(process.execPath, ['--enable-source-maps', this.script], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.live.add(child);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-STDERR_KEPT);
    });
    child.stdin!.on('error', () => undefined); // writing to a killed bot is fine
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        this.live.delete(child);
        resolve(code);
      }),
    );
    return new Promise<Bot>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('ready\n')) {
          resolve({
            pid: child.pid!,
            go: (now) => child.stdin!.write(`go ${now.toISOString()}\n`),
            kill: () => child.kill('SIGKILL'),
            exited,
            stderr: () => err,
          });
        }
      });
      void exited.then((code) => reject(new Error(`the bot process exited (${code}) before it was ready:\n${err}`)));
    });
  }
}
