import { join } from 'node:path';
import { BENCH_DATA } from './bench-db.ts';
import { runFanout, type FanoutFigures } from './fanout.ts';
import { dropPgDatabase, type Platform } from './fanout-world.ts';
import { table } from './stats.ts';

/**
 * Channels posted to at once per bot, when `--concurrency` is not given. Discord: the token's
 * 50 requests/s are the bound, and a few channels in flight keep discord.js's queue full.
 * Slack: each channel takes about one post a second, so throughput is about the number of
 * channels in flight.
 */
export const BENCH_CONCURRENCY: Record<Platform, number> = { discord: 4, slack: 1000 };

export interface FanoutArgs {
  channels?: string;
  instances?: string;
  platform?: string;
  stores?: string;
  'pg-url'?: string;
  concurrency?: string;
}

/** `--only fanout`: every platform x instance count x store asked for, one table. */
export async function runFanoutSection(args: FanoutArgs, out: (line?: string) => void): Promise<FanoutFigures[]> {
  const channels = Number(args.channels ?? '10000');
  const instances = (args.instances ?? '1,3').split(',').map(Number);
  const platforms = (args.platform ?? 'discord,slack').split(',') as Platform[];
  const stores = (args.stores ?? 'postgres').split(',');
  const pgUrl = args['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/pb_fanout_bench';
  if (!Number.isInteger(channels) || channels < 1) throw new Error('--channels wants a positive whole number');
  for (const k of instances) if (!Number.isInteger(k) || k < 1) throw new Error('--instances wants whole numbers, e.g. 1,3');
  for (const p of platforms) if (p !== 'discord' && p !== 'slack') throw new Error(`--platform: unknown ${p}; known: discord, slack`);
  for (const s of stores) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`--stores: unknown ${s}; known: sqlite, postgres`);
  const concurrency = args.concurrency ? Number(args.concurrency) : null;

  out(`\n## Fan-out: one ${'5-paper'} digest to ${channels.toLocaleString('en-US')} channels, real bots (bin/paperboy.js start) against rate-limited fakes`);
  const figures: FanoutFigures[] = [];
  for (const platform of platforms) {
    for (const store of stores) {
      for (const k of instances) {
        if (store === 'sqlite' && k > 1) {
          out(`  (${platform}, ${k} instances on SQLite: skipped, one SQLite file serves one bot)`);
          continue;
        }
        const c = concurrency ?? BENCH_CONCURRENCY[platform];
        out(`- ${platform}, ${k} instance${k > 1 ? 's' : ''}, ${store}, concurrency ${c} ...`);
        // One database per platform, so the platforms can be measured side by side.
        const target = store === 'postgres' ? withDbSuffix(pgUrl, platform) : join(BENCH_DATA, `fanout-${platform}.db`);
        const f = await runFanout({ platform, channels, instances: k, store: target, concurrency: c, workDir: join(BENCH_DATA, 'fanout-logs'), say: out });
        if (store === 'postgres') await dropPgDatabase(target);
        out(`  ${summary(f)}`);
        figures.push(f);
      }
    }
  }
  out(
    '\n' +
      table(
        ['platform', 'store', 'bots', 'messages', 'seconds', 'floor s', 'time/floor', 'to 1st post s', 'CPU ms/msg', 'with start', '429s', 'requests', 'duplicates', 'missing'],
        figures.map((f) => [
          f.platform,
          f.store,
          String(f.instances),
          `${f.delivered}/${f.expected}`,
          f.seconds.toFixed(1),
          f.floorSeconds.toFixed(1),
          `${(f.seconds / f.floorSeconds).toFixed(2)}x`,
          f.firstPostSeconds.toFixed(1),
          ((1000 * f.cpuSeconds) / Math.max(1, f.delivered)).toFixed(3),
          ((1000 * f.cpuSecondsWithStart) / Math.max(1, f.delivered)).toFixed(3),
          String(f.rateLimited),
          String(f.requests),
          String(f.duplicates),
          String(f.missing + f.unexpected),
        ]),
      ),
  );
  out('floor: Discord, posts / 50 per s (the token\'s global limit); Slack, a channel\'s 6 posts at 1/s after a burst of 2, every channel in parallel.');
  out('seconds: from the first bot\'s ready log line to the last message at the fake. CPU: the bots\' user+system time (/proc) from ready to done, per message; "with start" adds start-up.');
  return figures;
}

function withDbSuffix(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}_${suffix}`;
  return u.toString();
}

function summary(f: FanoutFigures): string {
  return (
    `${f.delivered}/${f.expected} messages in ${f.seconds.toFixed(1)} s (floor ${f.floorSeconds.toFixed(1)} s: ${f.floorRule}; ${(f.seconds / f.floorSeconds).toFixed(2)}x), ` +
    `first post after ${f.firstPostSeconds.toFixed(1)} s, CPU ${f.cpuSeconds.toFixed(1)} s (${((1000 * f.cpuSeconds) / Math.max(1, f.delivered)).toFixed(3)} ms/msg; ${f.cpuSecondsWithStart.toFixed(1)} s with start-up), ` +
    `${f.rateLimited} 429s, ${f.requests} requests, ${f.duplicates} duplicates, ${f.missing} missing, ${f.unexpected} unexpected${f.timedOut ? ', TIMED OUT' : ''}`
  );
}
