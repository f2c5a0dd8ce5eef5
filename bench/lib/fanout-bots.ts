import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * Real bots for the fan-out bench: `node bin/paperboy.js start`, the same start wiring as
 * `npm start`, configured only through the environment. CPU time is read from
 * /proc/<pid>/stat (user + system), so nothing in the bot is instrumented.
 */

const BIN = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

export interface BenchBot {
  readonly pid: number;
  /** Resolves at the adapter's ready log line: the wall time (performance.now) it was seen. */
  readonly ready: Promise<number>;
  /** User + system CPU seconds so far. */
  cpuSeconds(): number;
  stop(): Promise<number | null>;
}

export function startBot(env: Record<string, string>, logPath: string, readyMessage: string): BenchBot {
  // PAPERBOY_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the bots.
  const nodeArgs = (process.env.PAPERBOY_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logPath);
  child.stdout!.pipe(log, { end: false });
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log.write(d);
      buffered = (buffered + d).slice(-4096);
      if (buffered.includes(`"msg":"${readyMessage}"`)) resolve(performance.now());
    });
    void exited.then((code) => reject(new Error(`a bot exited (${code}) before it was ready; see ${logPath}`)));
  });
  ready.catch(() => undefined);
  const pid = child.pid!;
  return {
    pid,
    ready,
    cpuSeconds: () => cpuSecondsOf(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      log.end();
      return code;
    },
  };
}

/** utime + stime of a live process, in seconds. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
