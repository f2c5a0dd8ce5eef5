import { addDays, isIsoDay, isoDay } from '../domain/clock.ts';
import { loadConfig, secretsOf, type Config } from '../config.ts';
import { readIngestFile } from '../ingest/files.ts';
import { daysBetween, fetchDays, ingestBatches, summaryLine, type DayFailure, type FetchDay } from '../ingest/ingest.ts';
import { ProgressBar, type ProgressOutput } from '../ingest/progress.ts';
import { createLogger } from '../logger.ts';
import { ArxivClient, isArxivCategory } from '../sources/arxiv.ts';
import { HfClient } from '../sources/hf.ts';
import type { FetchLike } from '../sources/http.ts';
import { openStore } from '../store/store.ts';
import type { CliCommand } from './main.ts';
import { EXIT, UsageError } from './usage.ts';

export type IngestPlan =
  | { mode: 'file'; path: string; fallbackDay: string | null }
  | { mode: 'fetch'; source: 'hf'; days: string[] }
  | { mode: 'fetch'; source: 'arxiv'; days: string[]; categories: string[] };

type Values = Record<string, string | boolean | undefined>;

/** A fetch of more days than this is almost surely a typo in a date. */
const MAX_FETCH_DAYS = 3660;

/** Turns the flags into what to do, or a UsageError saying what is wrong with them. */
export function planIngest(values: Values, config: Config, today: string): IngestPlan {
  const str = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const day = (name: string): string | undefined => {
    const v = str(name);
    if (v === undefined) return undefined;
    if (!isIsoDay(v)) throw new UsageError(`--${name} must be a date as YYYY-MM-DD, got "${v}"`);
    // Tomorrow in UTC is already today east of Greenwich; later than that is a typo.
    if (v > addDays(today, 1)) throw new UsageError(`--${name} ${v} is in the future (today is ${today} UTC)`);
    return v;
  };
  const file = str('file');
  const date = day('date');
  const from = day('from');
  const to = day('to');
  const source = str('source');
  const categoriesFlag = str('categories');

  if (file !== undefined) {
    if (file === '') throw new UsageError('--file needs a path');
    if (from !== undefined || to !== undefined) throw new UsageError('--from/--to fetch from a source; they do not go with --file');
    if (source !== undefined || categoriesFlag !== undefined) throw new UsageError('--source and --categories are for fetching; a file says what it is');
    return { mode: 'file', path: file, fallbackDay: date ?? null };
  }
  if (date !== undefined && (from !== undefined || to !== undefined)) throw new UsageError('give either --date D or --from D [--to D], not both');
  if (to !== undefined && from === undefined) throw new UsageError('--to needs --from');
  if (date === undefined && from === undefined) {
    throw new UsageError('nothing to ingest: give --file PATH, or --date D or --from D --to D to fetch');
  }
  const first = (date ?? from)!;
  const last = date ?? to ?? today;
  if (first > last) throw new UsageError(`--from ${first} is after --to ${last}`);
  const days = daysBetween(first, last);
  if (days.length > MAX_FETCH_DAYS) throw new UsageError(`${days.length} days is more than the ${MAX_FETCH_DAYS} one fetch may cover`);

  if (source === undefined || source === 'hf') {
    if (categoriesFlag !== undefined) throw new UsageError('--categories applies to --source arxiv only');
    return { mode: 'fetch', source: 'hf', days };
  }
  if (source !== 'arxiv') throw new UsageError(`--source must be hf or arxiv, got "${source}"`);
  const categories = categoriesFlag !== undefined ? categoriesFlag.split(',').map((c) => c.trim()).filter(Boolean) : config.sources.arxivCategories;
  if (categories.length === 0) throw new UsageError('--source arxiv needs categories: --categories cs.LG,cs.CL or PAPERBOY_ARXIV_CATEGORIES');
  const bad = categories.find((c) => !isArxivCategory(c));
  if (bad !== undefined) throw new UsageError(`"${bad}" is not an arXiv category (e.g. cs.LG, stat.ML, hep-th)`);
  return { mode: 'fetch', source: 'arxiv', days, categories };
}

export interface IngestCommandDeps {
  stdout?: { write(s: string): unknown };
  stderr?: ProgressOutput;
  fetch?: FetchLike;
  now?: () => Date;
  /** Pause between arXiv requests (its terms ask for 3 s); tests set 0. */
  arxivGapMs?: number;
}

/** The line `paperboy help` shows for this command. */
export const INGEST_SUMMARY = 'Load papers from a file, or fetch them from Hugging Face or arXiv';

export function createIngestCommand(deps: IngestCommandDeps = {}): CliCommand {
  return {
    usage: [
      'paperboy ingest --file PATH [--date D] [--db PATH]',
      '       paperboy ingest --date D | --from D [--to D] [--source hf|arxiv] [--categories cs.LG,cs.CL] [--db PATH]',
      '',
      '  --file PATH   a JSON array from /api/daily_papers, a .jsonl or .jsonl.gz of {"date","papers"} lines,',
      '                or an arXiv Atom XML response; --date D lists undated HF items on day D',
      '  --date D      fetch one day (YYYY-MM-DD, UTC); --from D --to D fetches a range (--to defaults to today)',
      '  --source      hf (Hugging Face Daily Papers, the default) or arxiv (needs --categories or PAPERBOY_ARXIV_CATEGORIES)',
    ].join('\n'),
    options: {
      file: { type: 'string' },
      date: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      source: { type: 'string' },
      categories: { type: 'string' },
    },
    allowPositionals: false,
    async run({ values, env }) {
      const stdout = deps.stdout ?? process.stdout;
      const stderr = deps.stderr ?? process.stderr;
      const now = deps.now ?? (() => new Date());
      const config = loadConfig(env);
      const plan = planIngest(values, config, isoDay(now()));
      const dbPath = typeof values.db === 'string' && values.db !== '' ? values.db : config.dbPath;
      const logger = createLogger(config.logLevel, { write: (line) => stderr.write(`${line}\n`), secrets: secretsOf(config) });
      const bar = new ProgressBar(stderr);
      const started = performance.now();

      const store = await openStore(dbPath, { pgPool: config.pgPool });
      try {
        const failures: DayFailure[] = [];
        let counts;
        if (plan.mode === 'file') {
          let fraction = 0;
          const batches = readIngestFile(plan.path, { fallbackDay: plan.fallbackDay, logger, onBytes: (read, total) => (fraction = total > 0 ? read / total : 1) });
          counts = await ingestBatches(store, batches, { now, onDay: (c) => bar.update(fraction, `${c.days} days, ${c.read} papers`) });
        } else {
          const fetchDay = makeFetcher(plan, config, deps, logger);
          const total = plan.days.length;
          let tried = 0;
          const tracked: FetchDay = async (day) => {
            const r = await fetchDay(day);
            tried++;
            if (total > 1) bar.update(tried / total, `${tried}/${total} days`);
            return r;
          };
          counts = await ingestBatches(store, fetchDays(plan.days, tracked, failures), { now });
        }
        bar.done();
        for (const f of failures) stderr.write(`paperboy ingest: ${f.day} not ingested: ${f.error.message}\n`);
        if (failures.length > 0) {
          const retry = failures.every((f) => f.error.retryable) ? ' Running the same command again is safe: days already in are only refreshed.' : '';
          stderr.write(`paperboy ingest: ${failures.length} ${failures.length === 1 ? 'day' : 'days'} failed.${retry}\n`);
        }
        stdout.write(`${summaryLine(counts, (performance.now() - started) / 1000, failures.length)}\n`);
        return failures.length > 0 ? EXIT.failure : EXIT.ok;
      } finally {
        bar.done();
        await store.close();
      }
    },
  };
}

function makeFetcher(plan: Extract<IngestPlan, { mode: 'fetch' }>, config: Config, deps: IngestCommandDeps, logger: ReturnType<typeof createLogger>): FetchDay {
  const http = { timeoutMs: config.sources.timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  if (plan.source === 'hf') {
    const hf = new HfClient({ ...http, baseUrl: config.sources.hfBaseUrl, logger });
    return (day) => hf.fetchDay(day);
  }
  const arxiv = new ArxivClient({ ...http, baseUrl: config.sources.arxivBaseUrl, logger, ...(deps.arxivGapMs !== undefined ? { requestGapMs: deps.arxivGapMs } : {}) });
  const categories = plan.categories;
  return (day) => arxiv.fetchDay(day, categories);
}

export const ingestCommand: CliCommand = createIngestCommand();
