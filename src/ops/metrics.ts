import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';
import type { OpsEvents } from './events.ts';
import { storeGauges, type StoreGaugeValues } from './store-gauges.ts';

export const METRIC_PREFIX = 'paperboy_';

/**
 * How often the event-loop lag is sampled. prom-client's default, 10 ms, is a timer that wakes
 * the process 100 times a second even when it has nothing to do: about 9 ms of CPU a second on
 * a small VM (each wake-up costs ~0.1-0.2 ms), for a bot that is idle most of the day. Ten
 * samples a second still catch any stall worth alerting on: each sample measures how late its
 * timer fired, to the nanosecond.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The bot's Prometheus metrics. Counters count what this process did since it started; the
 * gauges read the store at scrape time, so every instance on a shared store reports the same
 * fleet-wide backlog.
 */
export class OpsMetrics implements OpsEvents {
  readonly registry = new Registry();
  private readonly postsSent: Counter<'platform'>;
  private readonly postsFailed: Counter<'platform'>;
  private readonly commandSeconds: Histogram<'command'>;
  private readonly polls: Counter<'source' | 'outcome'>;
  private readonly papersIngested: Counter<'source'>;

  constructor(store: Store, clock: Clock) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.postsSent = new Counter({ name: `${METRIC_PREFIX}posts_sent_total`, help: 'Digest posts (headers and papers) the platform accepted', labelNames: ['platform'], registers });
    this.postsFailed = new Counter({ name: `${METRIC_PREFIX}posts_failed_total`, help: 'Digest post attempts that did not land (retried later, given up, or channel disabled)', labelNames: ['platform'], registers });
    this.commandSeconds = new Histogram({
      name: `${METRIC_PREFIX}command_duration_seconds`,
      help: 'Time to answer a /papers command',
      labelNames: ['command'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
      registers,
    });
    this.polls = new Counter({ name: `${METRIC_PREFIX}ingest_polls_total`, help: 'Polls of a paper source, by outcome', labelNames: ['source', 'outcome'], registers });
    this.papersIngested = new Counter({ name: `${METRIC_PREFIX}ingest_papers_total`, help: 'Papers read from a source (new or updated)', labelNames: ['source'], registers });

    // One store read per scrape fills all four gauges; prom-client calls each one's collect in turn.
    const gauges = storeGauges(store, clock);
    let reading: Promise<StoreGaugeValues> | null = null;
    const read = () => (reading ??= gauges.read().finally(() => setImmediate(() => (reading = null))));
    new Gauge({
      name: `${METRIC_PREFIX}ingest_last_success_timestamp_seconds`,
      help: 'When each source was last polled successfully (Unix time)',
      labelNames: ['source'],
      registers,
      async collect() {
        const r = await read();
        this.reset();
        for (const s of r.sources) if (s.lastOkAt) this.set({ source: s.source }, Date.parse(s.lastOkAt) / 1000);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}ingest_last_papers`,
      help: 'Papers the last successful poll of each source read',
      labelNames: ['source'],
      registers,
      async collect() {
        const r = await read();
        this.reset();
        for (const s of r.sources) this.set({ source: s.source }, s.lastItems);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}channels_disabled`,
      help: 'Channels whose digest is stopped because posting failed (or their workspace was disabled)',
      registers,
      async collect() {
        this.set((await read()).disabledChannels);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}digests_due_unsent`,
      help: 'Digests whose time has come with a header or paper not yet sent',
      registers,
      async collect() {
        this.set((await read()).dueUnsent);
      },
    });
  }

  postSettled(platform: string, ok: boolean): void {
    (ok ? this.postsSent : this.postsFailed).inc({ platform });
  }

  commandFinished(command: string, seconds: number): void {
    this.commandSeconds.observe({ command }, seconds);
  }

  sourcePolled(source: string, outcome: 'ok' | 'failed', papers: number): void {
    this.polls.inc({ source, outcome });
    if (papers > 0) this.papersIngested.inc({ source }, papers);
  }

  /** The text exposition format, for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
