import { DateTime } from 'luxon';
import { buildCards } from '../commands/cards.ts';
import type { DigestPostResult, PaperCard } from '../commands/types.ts';
import type { Clock } from '../domain/clock.ts';
import { describeError } from '../domain/errors.ts';
import { planChannelDigestOn } from '../digest/preview.ts';
import { passPlanReads, type PlanReads } from '../digest/plan-reads.ts';
import type { Logger } from '../logger.ts';
import type { OpsEvents } from '../ops/events.ts';
import { firstSlotFrom, latestDueSlot } from '../schedule/due.ts';
import { localDate, type Slot } from '../schedule/next-run.ts';
import { DEFAULT_SCHEDULE, type Schedule, type StoredSchedule } from '../store/schedules.ts';
import type { ChannelRow, DeliveryRow, DigestKind, DigestRow } from '../store/schema.ts';
import type { ChannelPlanningState, Lease } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';
import { retryDelayMs } from './backoff.ts';
import type { Posters } from './posters.ts';
import type { ChatPoster, PostOutcome } from './port.ts';
import { runPool } from './pool.ts';
import { WatchNotifier } from '../watch/notifier.ts';
import { renderRecapChart } from '../recap/chart.ts';
import { buildRecap, isoWeekOf, type RecapData } from '../recap/data.ts';
import { recapSlotSchedule } from '../recap/schedule.ts';

export interface DeliverySettings {
  /** A digest missed by less than this is still posted, labelled with its date. */
  graceMs: number;
  /** Later than this, a digest says it is late. */
  lateAfterMs: number;
  /** Channels posted to at once; the libraries' rate-limit queues pace the requests themselves. */
  concurrency: number;
  /** Attempts per post before it is given up. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Post a header message before each digest's papers. */
  header: boolean;
  /** How long a claimed post is ours before another instance may take it over; renewed every third of it while the post is in flight. */
  leaseMs: number;
  /**
   * Rows claimed at once in a channel: one digest's header and papers go out under one claim,
   * each settled as it is posted. After a crash, only the row that was in flight is checked at
   * the platform before it is posted again (laterRowAttempt).
   */
  runSize: number;
  /**
   * Channels whose own rows a planning pass reads at once (planningStates, topics.listMany):
   * five statements a chunk, where each channel made five of its own (digestFor, releaseStale,
   * lastDigest, failedPaperIds, topics.list). Small enough that what is read is seconds old when
   * the chunk's last channel is planned.
   */
  planChunk: number;
  /**
   * A tick sends for about this long after it starts before it plans again (what has come due
   * meanwhile, another team's digest among it) and goes on in fair order: a fan-out that
   * outlasts it never holds up digests due after it began.
   */
  roundMs: number;
}

/** A weekly recap missed by longer than this (the bot was down at its slot) is not posted that week. */
export const RECAP_LATE_LIMIT_MS = 48 * 3600_000;
/** How long the recap slots read from the store are trusted before they are read again. */
export const RECAP_REREAD_MS = 5 * 60_000;

/** A channel's slot that has come and is not known to be planned (planDue). */
interface DueSlot {
  channel: ChannelRow;
  schedule: Schedule;
  since: Date;
  slot: Slot;
  /** "date time", as the digests' (digest_date, slot) and plannedSlots hold it. */
  key: string;
}

type RecapSlotRow = Awaited<ReturnType<Store['recaps']['scheduledChannels']>>[number];

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  graceMs: 6 * 3600_000,
  lateAfterMs: 10 * 60_000,
  concurrency: 4,
  maxAttempts: 8,
  retryBaseMs: 30_000,
  retryMaxMs: 30 * 60_000,
  header: true,
  leaseMs: 60_000,
  runSize: 12,
  planChunk: 200,
  roundMs: 60_000,
};

/** What a claimed run's posts need, read once for the run (DeliveryEngine.runContext). */
interface RunContext {
  /** By paper id. */
  cards: Map<string, PaperCard>;
  /** The digests of the run's headers (and of rows whose tries are checked), by id. */
  digests: Map<number, DigestRow>;
  /** Thread mode: each digest's posted header message, by digest id. */
  headers: Map<number, string>;
}

/** Whether the paper sources are healthy enough that an empty digest really means "nothing new". */
export interface SourceHealth {
  readyFor(now: Date): Promise<boolean>;
}

export interface TickReport {
  planned: number;
  sent: number;
  retried: number;
  failed: number;
  disabled: number;
}

export interface DeliveryDeps {
  store: Store;
  posters: Posters;
  clock: Clock;
  logger: Logger;
  health: SourceHealth;
  settings: DeliverySettings;
  /** This process's instance id: the owner of the leases it takes. */
  instanceId: string;
  /** Told how each post attempt went (metrics). */
  events?: OpsEvents;
}

/**
 * Scheduled digests, delivered once. The database is the truth: each tick asks which
 * channels have a slot that has come and has no digest yet, plans it (one transaction, unique
 * keys), then drains the outbox one claimed row at a time. Nothing is remembered in memory
 * between ticks, so a dropped tick, a restart or a crash loses nothing.
 */
export class DeliveryEngine {
  private readonly log: Logger;
  private stopping = false;
  /** The recap slots as last read, and the channel weeks known to be planned (see planRecaps). */
  private recapSlots: { readAt: number; rows: RecapSlotRow[]; done: Set<string> } | null = null;
  /**
   * Each channel's latest slot known to have its digest (a digest is never deleted). Every
   * tick plans over every channel whose slot has come, all day long; a channel whose slot is
   * known planned costs no query, where a fan-out of thousands of channels would otherwise ask
   * the store for each of them in every round.
   */
  private readonly plannedSlots = new Map<number, string>();

  /** Direct messages about changes to saved papers, sent after each tick's digests. */
  readonly watch: WatchNotifier;

  constructor(private readonly deps: DeliveryDeps) {
    this.log = deps.logger.child({ part: 'delivery' });
    this.watch = new WatchNotifier({ ...deps, settings: deps.settings });
  }

  /**
   * Start-up: posts a crash left uncertain, and held by no live instance, go back to the queue,
   * to be checked before resending. Rows another instance is sending stay with it; if it dies,
   * their leases run out and any instance's claim takes them over.
   */
  async recover(): Promise<number> {
    const n = await this.deps.store.outbox.recoverInFlight(this.deps.clock.now());
    if (n > 0) this.log.warn('resuming deliveries interrupted by a restart', { count: n });
    await this.watch.recover();
    return n;
  }

  /**
   * Shutting down: plan nothing more and claim no further post. A post already claimed is
   * finished and recorded; the tick in flight then ends, so the caller can await it.
   */
  stop(): void {
    this.stopping = true;
    this.watch.stop();
  }

  /**
   * One tick: plan what has come due, then send what is ready, in rounds. A round whose sending
   * runs past `roundMs` starts no further channel; the next round plans again (digests that came
   * due meanwhile) and sends in fair order (channelsWithWork), so a long fan-out is interleaved
   * with what came due after it rather than finished first.
   */
  async tick(): Promise<TickReport> {
    const total: TickReport = { planned: 0, sent: 0, retried: 0, failed: 0, disabled: 0 };
    for (;;) {
      const { report, cut } = await this.round();
      for (const k of Object.keys(total) as Array<keyof TickReport>) total[k] += report[k];
      if (!cut || this.stopping) return total;
    }
  }

  private async round(): Promise<{ report: TickReport; cut: boolean }> {
    // Sending starts while planning goes on: planning thousands of channels takes minutes, and
    // the first channels' posts need not wait for the last channel's plan. A channel is sent to
    // only once this round has planned it (planning may fold its stale digest into a catch-up).
    // Each pass takes the channels with work at that moment; an idle pass waits for the next
    // plan; the last pass, over every channel, starts after planning has finished.
    const total = { sent: 0, retried: 0, failed: 0, disabled: 0 };
    const deadline = this.deps.clock.now().getTime() + this.deps.settings.roundMs;
    const visited = new Set<number>();
    let planningDone = false;
    let wake = () => {};
    const planning = this.planDue((channelId, planned) => {
      visited.add(channelId);
      if (planned) wake();
    }).finally(() => {
      planningDone = true;
      wake();
    });
    planning.catch(() => undefined); // rethrown below, once sending is done
    let cut = false;
    for (;;) {
      const last = planningDone;
      const planned = new Promise<void>((resolve) => (wake = resolve));
      // Past the deadline a pass starts no further channel (after a few): while
      // planning still runs, passes go on in short, re-ordered steps; after it, the round ends.
      const pass = await this.sendPass(last ? undefined : visited, deadline);
      total.sent += pass.sent;
      total.retried += pass.retried;
      total.failed += pass.failed;
      total.disabled += pass.disabled;
      if (last) {
        cut = pass.cut;
        break;
      }
      if (pass.sent + pass.retried + pass.failed + pass.disabled === 0) await planned;
    }
    const plannedCount = await planning;
    try {
      await this.watch.sendPending();
    } catch (e) {
      this.log.error('sending paper-change messages failed', { err: e });
    }
    return { report: { planned: plannedCount, ...total }, cut };
  }

  /** Plans every channel whose slot has come; `onVisited` hears of each channel once it is done with. */
  async planDue(onVisited?: (channelId: number, planned: boolean) => void): Promise<number> {
    const now = this.deps.clock.now();
    let planned = 0;
    const channels = await this.fleetShare(await this.deps.store.teams.deliverableChannels(), now);
    const schedules = await this.deps.store.schedules.getMany(channels.map((c) => c.id));
    // The window's listings, upvotes, and each team's votes and taste, read once for the pass.
    const reads = passPlanReads(this.deps.store);
    // Which channels have a slot to plan is known from their schedules and the slots known planned,
    // without the store; those are planned a chunk at a time, each chunk's own rows read at once.
    // Channels are still reported visited in walk order (fair order), each channel with nothing
    // to plan after the due channel before it: sending takes only visited channels, so a channel
    // later in the order never goes ahead of an earlier one still being planned.
    const steps: Array<{ due: DueSlot; then: number[] }> = [];
    for (const channel of channels) {
      const slot = this.dueSlot(channel, schedules.get(channel.id) ?? null, now);
      if (slot) steps.push({ due: slot, then: [] });
      else if (steps.length > 0) steps.at(-1)!.then.push(channel.id);
      else onVisited?.(channel.id, false);
    }
    const staleBefore = new Date(now.getTime() - this.deps.settings.graceMs);
    for (let i = 0; i < steps.length && !this.stopping; i += this.deps.settings.planChunk) {
      const chunk = steps.slice(i, i + this.deps.settings.planChunk);
      let states: Map<number, ChannelPlanningState>;
      try {
        states = await reads.prefetch(
          chunk.map((s) => s.due.channel.id),
          chunk.reduce((min, s) => (s.due.slot.localDate < min ? s.due.slot.localDate : min), chunk[0]!.due.slot.localDate),
          staleBefore,
        );
      } catch (e) {
        // The next round (a minute) plans them; the chunks after this one go on now.
        this.log.error('reading channels to plan failed', { channels: chunk.length, err: e });
        for (const s of chunk) for (const id of [s.due.channel.id, ...s.then]) onVisited?.(id, false);
        continue;
      }
      for (const { due, then } of chunk) {
        if (this.stopping) break;
        try {
          const done = await this.planChannel(due, states.get(due.channel.id)!, now, reads);
          if (done) planned++;
          onVisited?.(due.channel.id, done);
        } catch (e) {
          // One broken channel must not hold up the others.
          this.log.error('planning a digest failed', { channelId: due.channel.id, err: e });
        }
        for (const id of then) onVisited?.(id, false);
      }
    }
    // Recaps are sent by the tick's last pass, which takes every channel.
    if (!this.stopping) planned += await this.planRecaps(now);
    return planned;
  }

  /**
   * The channels in the order this instance plans them. Alone, the fair order as it is. In a
   * fleet, the k live instances each start their walk at their own k-th of it (by start order)
   * and go on around: a scheduled slot is then planned about once across the fleet, each other
   * instance finding it planned with one cheap check, instead of every instance planning every
   * channel and all but one discarding the plan.
   */
  private async fleetShare<C>(channels: C[], now: Date): Promise<C[]> {
    if (channels.length < 2) return channels;
    const live = await this.deps.store.instances.live(now, this.deps.settings.leaseMs);
    const me = live.findIndex((i) => i.id === this.deps.instanceId);
    if (live.length < 2 || me <= 0) return channels;
    const start = Math.floor((me * channels.length) / live.length);
    return [...channels.slice(start), ...channels.slice(0, start)];
  }

  /**
   * Plans each channel's weekly recap whose slot has come: once per channel and ISO week (the
   * recaps table's unique key), whichever tick, restart or bot gets there first. A slot missed
   * by more than RECAP_LATE_LIMIT_MS (the bot was down) is left out: a recap days late reads as
   * noise. The recap counts what happened up to its slot.
   *
   * The recap slots are read from the store at most every RECAP_REREAD_MS (and whenever one
   * looks due), not at every tick: a tick that finds nothing due costs no query. So a recap
   * turned on minutes before its slot may come up to that much late.
   */
  async planRecaps(now: Date): Promise<number> {
    const { store } = this.deps;
    const at = now.getTime();
    const cached = this.recapSlots;
    const stale = !cached || at - cached.readAt >= RECAP_REREAD_MS || at < cached.readAt;
    if (!stale && !cached.rows.some((r) => this.recapDue(r, now, cached.done) !== null)) return 0;
    const fresh = { readAt: at, rows: await store.recaps.scheduledChannels(), done: stale ? new Set<string>() : cached!.done };
    this.recapSlots = fresh;
    let planned = 0;
    for (const row of fresh.rows) {
      if (this.stopping) break;
      const due = this.recapDue(row, now, fresh.done);
      if (!due) continue;
      const { channel, timezone } = row;
      try {
        if (!(await store.recaps.forWeek(channel.id, due.week))) {
          const data = await buildRecap(store, channel.id, channel.team_id, due.slot.localDate, timezone ?? DEFAULT_SCHEDULE.timezone, due.slot.dueAt);
          if ((await store.recaps.plan({ channelId: channel.id, week: due.week, slotDate: due.slot.localDate, dueAt: due.slot.dueAt, data: JSON.stringify(data) }, now)) !== null) planned++;
        }
        fresh.done.add(`${channel.id}:${due.week}`);
      } catch (e) {
        this.log.error('planning a weekly recap failed', { channelId: channel.id, err: e });
      }
    }
    return planned;
  }

  /** The recap slot of a channel that has come and is not known to be planned, with its week; else null. */
  private recapDue(row: RecapSlotRow, now: Date, done: ReadonlySet<string>): { slot: Slot; week: string } | null {
    const slot = latestDueSlot(recapSlotSchedule(row.schedule, row.timezone), now, row.schedule.changedAt);
    if (!slot || now.getTime() - slot.dueAt.getTime() > RECAP_LATE_LIMIT_MS) return null;
    const week = isoWeekOf(slot.localDate);
    return done.has(`${row.channel.id}:${week}`) ? null : { slot, week };
  }

  /** The channel's latest slot that has come, unless this instance knows it planned; else null. */
  private dueSlot(channel: ChannelRow, stored: StoredSchedule | null, now: Date): DueSlot | null {
    const schedule = stored ?? DEFAULT_SCHEDULE;
    const since = firstSlotFrom(channel, stored, now);
    const slot = latestDueSlot(schedule, now, since);
    if (!slot) return null;
    const key = `${slot.localDate} ${slot.time}`;
    return this.plannedSlots.get(channel.id) === key ? null : { channel, schedule, since, slot, key };
  }

  /** Plans a due slot unless the store has it (`state`, read for its chunk: planningStates). */
  private async planChannel(due: DueSlot, state: ChannelPlanningState, now: Date, reads: PlanReads): Promise<boolean> {
    const { channel, schedule, since, slot, key } = due;
    if (state.slots.has(key)) {
      this.plannedSlots.set(channel.id, key);
      return false;
    }
    const kind = await this.kindOf(channel, schedule, since, slot, now);
    const id = await this.planFor(channel, slot.localDate, slot.time, slot.dueAt, kind, now, { reads, releaseStale: state.hasStale });
    if (id !== null) this.plannedSlots.set(channel.id, key);
    return id !== null;
  }

  /**
   * On time; late (down at post time, back within the grace window: labelled with its date);
   * or one catch-up, when the outage outlasted the grace window or swallowed earlier slots too.
   */
  private async kindOf(channel: ChannelRow, schedule: Schedule, since: Date, slot: Slot, now: Date): Promise<DigestKind> {
    const lateness = now.getTime() - slot.dueAt.getTime();
    if (lateness <= this.deps.settings.lateAfterMs) return 'scheduled';
    if (lateness > this.deps.settings.graceMs) return 'catch-up';
    const previous = latestDueSlot(schedule, new Date(slot.dueAt.getTime() - 1), since);
    const missedBefore = previous !== null && !(await this.deps.store.outbox.digestFor(channel.id, previous.localDate, previous.time));
    return missedBefore ? 'catch-up' : 'late';
  }

  /** Plans one digest; null when it must wait (sources down, nothing to post) or already exists. */
  private async planFor(
    channel: ChannelRow,
    digestDate: string,
    slot: string,
    dueAt: Date,
    kind: DigestKind,
    now: Date,
    /** `releaseStale` false: a read just now found nothing stale (planningStates), so the statement is spared. */
    { reads, releaseStale = true }: { reads?: PlanReads; releaseStale?: boolean } = {},
  ): Promise<number | null> {
    const { store } = this.deps;
    if (kind !== 'manual' && releaseStale) await store.outbox.releaseStale(channel.id, new Date(now.getTime() - this.deps.settings.graceMs));
    const plan = await planChannelDigestOn(store, channel, digestDate, this.log, { reads });
    if (plan.picked.length === 0 && kind !== 'manual' && !(await this.deps.health.readyFor(now))) {
      // Nothing new while a source is failing: wait for it rather than record an empty digest.
      this.log.info('digest waits for the paper sources', { channelId: channel.id, digestDate, slot });
      return null;
    }
    return store.outbox.plan(
      {
        channelId: channel.id,
        digestDate,
        slot,
        dueAt,
        kind,
        windowFrom: plan.from,
        windowTo: plan.to,
        header: this.deps.settings.header,
        papers: plan.picked.map((p) => ({ paperId: p.paperId, rank: p.rank, topics: p.topics })),
      },
      now,
    );
  }

  /** Sends what is ready, in every channel or only in `only`'s. */
  async sendPending(only?: ReadonlySet<number>): Promise<Omit<TickReport, 'planned'>> {
    const { cut: _, ...report } = await this.sendPass(only);
    return report;
  }

  /**
   * One pass over the channels with work, in their fair order (see channelsWithWork). Past
   * `deadline`, no further channel is started (`cut`) once `concurrency` channels have done
   * something, so every pass makes progress; channels already started finish what they have.
   */
  private async sendPass(only?: ReadonlySet<number>, deadline?: number): Promise<Omit<TickReport, 'planned'> & { cut: boolean }> {
    const ready = await this.deps.store.outbox.channelsWithWork(this.deps.clock.now());
    const channels = only ? ready.filter((id) => only.has(id)) : ready;
    const total = { sent: 0, retried: 0, failed: 0, disabled: 0 };
    const { concurrency } = this.deps.settings;
    let started = 0;
    // A channel that turned out idle (its platform is not connected here, another bot had it,
    // or it failed outright) does not count towards the least a pass does, or rounds could go
    // on doing nothing at all.
    let idle = 0;
    const pastDeadline = () => deadline !== undefined && started - idle >= concurrency && this.deps.clock.now().getTime() >= deadline;
    const results = await runPool(
      channels,
      concurrency,
      async (id) => {
        started++;
        const r = await this.sendChannel(id).catch((e: unknown) => {
          idle++;
          throw e;
        });
        if (r.sent + r.retried + r.failed + r.disabled === 0) idle++;
        return r;
      },
      pastDeadline,
    );
    results.forEach((r, i) => {
      if (!r) return; // not started (past the deadline)
      if (r.status === 'rejected') {
        this.log.error('sending to a channel failed', { channelId: channels[i], err: r.reason });
        return;
      }
      total.sent += r.value.sent;
      total.retried += r.value.retried;
      total.failed += r.value.failed;
      total.disabled += r.value.disabled;
    });
    return { ...total, cut: started < channels.length };
  }

  /** Posts a channel's header and papers in order; stops at the first post that must wait. */
  async sendChannel(channelId: number): Promise<Omit<TickReport, 'planned'>> {
    const { store, posters, clock } = this.deps;
    const out = { sent: 0, retried: 0, failed: 0, disabled: 0 };
    const found = await store.teams.channelWithTeam(channelId);
    if (!found || found.channel.disabled_reason || found.team.disabled_reason) return out;
    const { channel, team } = found;
    const poster = posters.get(team.platform, team.external_id);
    if (!poster) return out; // not connected to that platform in this process: leave it queued

    const { runSize } = this.deps.settings;
    for (;;) {
      if (this.stopping) return out; // what is unclaimed stays queued for the next start
      const run = await store.outbox.claimRun(channelId, clock.now(), this.lease(), runSize);
      if (run.length === 0) return out;
      const goOn = await this.whileLeased((lease) => store.outbox.renewChannelLeases(channelId, lease), { channelId, deliveryIds: run.map((r) => r.id) }, () =>
        this.sendRun(poster, channel, team.id, team.platform, run, out),
      );
      // A short run took every row ready when it was claimed; rows planned since wait for the next pass.
      if (!goOn || run.length < runSize) return out;
    }
  }

  /**
   * Posts a claimed run (one digest's rows, in rank order) one message at a time, each settled
   * as soon as it is posted. What the run's posts need (the papers, their counts, the digest)
   * is read once for the run. False when the channel must stop here: a post must wait, the
   * channel was closed, the lease was lost, or the engine is stopping; the rows not posted are
   * given back (releaseClaims).
   */
  private async sendRun(poster: ChatPoster, channel: ChannelRow, teamId: number, platform: string, run: DeliveryRow[], out: Omit<TickReport, 'planned'>): Promise<boolean> {
    const { store, clock } = this.deps;
    const me = this.deps.instanceId;
    const giveBack = async (from: number) => {
      await store.outbox.releaseClaims(run.slice(from).map((r) => r.id), me, clock.now());
    };
    const context = await this.runContext(channel, teamId, run).catch(async (e: unknown) => {
      await giveBack(0).catch(() => undefined); // a store failure before any post: the run is not ours to hold
      throw e;
    });
    for (const [i, row] of run.entries()) {
      if (this.stopping) {
        await giveBack(i); // what is not posted stays queued for the next start
        return false;
      }
      const what = { channelId: channel.id, deliveryId: row.id };
      const attempt = i === 0 ? row.attempts : await this.laterRowAttempt(row, context);
      const outcome = await this.safePost(() => this.postRow(poster, channel, row, attempt, context));
      this.deps.events?.postSettled(platform, outcome.ok);
      let held: boolean;
      if (outcome.ok) {
        await this.noteCheck(channel, outcome);
        held = this.settled(await store.outbox.markSent(row.id, outcome.messageId, clock.now(), me), what);
        if (held) out.sent++;
        if (row.kind === 'header' && row.digest_id !== null) context.headers.set(row.digest_id, outcome.messageId);
      } else if (outcome.action === 'drop' || (outcome.action === 'retry' && row.attempts >= this.deps.settings.maxAttempts)) {
        // Given up alone: the rest of the digest (its papers, when a header is refused) goes on.
        held = this.settled(await store.outbox.markFailed(row.id, outcome.reason, clock.now(), me), what);
        if (outcome.action === 'drop') this.log.error('the platform refused a post; given up, the channel goes on', { channelId: channel.id, kind: row.kind, paperId: row.paper_id, reason: outcome.reason });
        else this.log.error('gave up a post after repeated failures', { channelId: channel.id, paperId: row.paper_id, attempts: row.attempts, reason: outcome.reason });
        out.failed++;
      } else if (outcome.action === 'retry') {
        const wait = Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(row.attempts, this.deps.settings.retryBaseMs, this.deps.settings.retryMaxMs));
        this.settled(await store.outbox.markRetry(row.id, outcome.reason, new Date(clock.now().getTime() + wait), clock.now(), me), what);
        out.retried++;
        await giveBack(i + 1); // keep the channel's order: later posts wait behind this one
        return false;
      } else {
        await this.disable(channel, teamId, poster, outcome); // gives up every row of the channel, ours too
        out.disabled++;
        return false;
      }
      if (!held) {
        // Another instance took the run over (our lease ran out unnoticed); it checks the platform.
        await giveBack(i + 1);
        return false;
      }
    }
    return true;
  }

  /** What a run's posts read from the store, read once: its papers as cards, its digest, thread headers. */
  private async runContext(channel: ChannelRow, teamId: number, run: readonly DeliveryRow[]): Promise<RunContext> {
    const { store } = this.deps;
    const paperRows = run.filter((r) => r.kind === 'paper' && r.paper_id !== null);
    const papers = await store.papers.getMany(paperRows.map((r) => r.paper_id!));
    const notes = new Map(
      paperRows.map((r) => {
        const topics = JSON.parse(r.topics) as string[];
        return [r.paper_id!, topics.length ? `Topic: ${topics.join(', ')}` : null];
      }),
    );
    const cards = await buildCards(store, teamId, null, papers, notes);
    const digestIds = [...new Set(run.flatMap((r) => (r.kind === 'header' && r.digest_id !== null ? [r.digest_id] : [])))];
    const digests = await Promise.all(digestIds.map((id) => store.outbox.digest(id)));
    const headers = new Map<number, string>();
    if (channel.thread_mode) {
      // Papers whose header was posted before this run go under it; a header in this run is added as it is posted.
      for (const id of new Set(paperRows.flatMap((r) => (r.digest_id === null ? [] : [r.digest_id])))) {
        const header = await store.outbox.headerMessageId(id);
        if (header) headers.set(id, header);
      }
    }
    return {
      cards: new Map(cards.map((c) => [c.paper.id, c])),
      digests: new Map(digests.flatMap((d) => (d ? [[d.id, d] as const] : []))),
      headers,
    };
  }

  /**
   * The attempt a run's later row (not its first) goes out as; above 1 the adapter checks the
   * platform before posting. A digest's rows are posted in rank order, each only once every row
   * before it is settled, and a row settled in a digest stays settled there (or leaves it, taken
   * over by a newer digest). The run's first row is unsettled, so no earlier try of a later row
   * reached the platform while the row was in this digest: however many claims a crash left it
   * (a whole run is claimed at once), it is a first try. Unless it was tried before it joined
   * the digest (a failed paper taken over by a newer digest: first claimed no later than the
   * digest was planned), or it has no digest (a recap), where that order does not hold.
   */
  private async laterRowAttempt(row: DeliveryRow, context: RunContext): Promise<number> {
    if (row.attempts <= 1 || row.digest_id === null || row.claimed_at === null) return row.attempts;
    let digest = context.digests.get(row.digest_id);
    if (!digest) {
      digest = await this.deps.store.outbox.digest(row.digest_id);
      if (!digest) return row.attempts;
      context.digests.set(digest.id, digest);
    }
    const triedBeforeDigest = new Date(row.claimed_at).getTime() <= new Date(digest.created_at).getTime();
    return triedBeforeDigest ? row.attempts : 1;
  }

  private postRow(poster: ChatPoster, channel: ChannelRow, row: DeliveryRow, attempt: number, context: RunContext): Promise<PostOutcome> {
    if (row.kind === 'header') return this.postHeader(poster, channel, row, attempt, context);
    if (row.kind === 'recap') return this.postRecap(poster, channel, row, attempt);
    return this.postPaper(poster, channel, row, attempt, context);
  }

  /** Keeps what the adapter said about its duplicate check of the channel, for /papers status (written only on a change). */
  private async noteCheck(channel: ChannelRow, outcome: Extract<PostOutcome, { ok: true }>): Promise<void> {
    if (outcome.checkProblem === undefined || outcome.checkProblem === channel.duplicate_check_problem) return;
    await this.deps.store.teams.setDuplicateCheckProblem(channel.id, outcome.checkProblem);
    channel.duplicate_check_problem = outcome.checkProblem;
    if (outcome.checkProblem) this.log.warn('cannot check this channel before a re-post', { channelId: channel.id, problem: outcome.checkProblem });
  }

  /** A lease for a claim made now. */
  private lease(): Lease {
    return { owner: this.deps.instanceId, until: new Date(this.deps.clock.now().getTime() + this.deps.settings.leaseMs) };
  }

  /**
   * Runs a send while renewing its leases every third of the lease, so a slow run (a long
   * rate-limit wait in the library's queue) is never taken over while this process is alive.
   */
  private async whileLeased<T>(renew: (lease: Lease) => Promise<boolean>, what: Record<string, unknown>, send: () => Promise<T>): Promise<T> {
    let warned = false;
    let done = false;
    const timer = setInterval(() => {
      renew(this.lease()).then(
        (held) => {
          if (held || warned || done) return; // done: the last row was settled meanwhile
          warned = true;
          this.log.warn('lost the lease on a post in flight: another instance took it over and will check the platform before posting', what);
        },
        (e: unknown) => this.log.warn('could not renew a lease; retrying at the next renewal', { ...what, err: e }),
      );
    }, Math.max(1, Math.floor(this.deps.settings.leaseMs / 3)));
    timer.unref();
    try {
      return await send();
    } finally {
      done = true;
      clearInterval(timer);
    }
  }

  /** Logs a settle that found the row taken over; true when it applied. */
  private settled(applied: boolean, what: Record<string, unknown>): boolean {
    if (!applied) this.log.warn('a post settled after its lease was taken over: left to the instance that holds it now, which checks the platform', what);
    return applied;
  }

  /** A digest's header row; its key names the digest (`h<digest id>`), as before headers were rows. */
  private async postHeader(poster: ChatPoster, channel: ChannelRow, row: DeliveryRow, attempt: number, context: RunContext): Promise<PostOutcome> {
    const digest = row.digest_id === null ? undefined : context.digests.get(row.digest_id);
    if (!digest) return { ok: false, action: 'drop', reason: `header ${row.id} has no digest` };
    return poster.post(channel.external_id, {
      kind: 'header',
      key: `h${digest.id}`,
      title: headerTitle(digest),
      text: headerText(digest),
      digestDate: digest.digest_date,
      attempt,
      firstTriedAt: new Date(row.claimed_at ?? row.created_at),
    });
  }

  /** A weekly recap: what was counted when it was planned, with its chart drawn now (the same data draws the same chart). */
  private async postRecap(poster: ChatPoster, channel: ChannelRow, row: DeliveryRow, attempt: number): Promise<PostOutcome> {
    const recap = await this.deps.store.recaps.byDelivery(row.id);
    if (!recap) return { ok: false, action: 'drop', reason: `recap delivery ${row.id} has no recap` };
    const data = JSON.parse(recap.data) as RecapData;
    return poster.post(channel.external_id, {
      kind: 'recap',
      key: `r${recap.id}`,
      recap: data,
      chart: renderRecapChart(data),
      attempt,
      firstTriedAt: new Date(row.claimed_at ?? row.created_at),
    });
  }

  private async postPaper(poster: ChatPoster, channel: ChannelRow, row: DeliveryRow, attempt: number, context: RunContext): Promise<PostOutcome> {
    const card = row.paper_id === null ? undefined : context.cards.get(row.paper_id);
    if (!card) return { ok: false, action: 'retry', reason: `paper ${row.paper_id} is missing from the store` };
    // Thread mode: the paper goes under its digest's header message (none if no header was posted).
    const threadId = channel.thread_mode && row.digest_id !== null ? context.headers.get(row.digest_id) : undefined;
    return poster.post(channel.external_id, {
      kind: 'paper',
      key: `d${row.id}`,
      card,
      digestDate: row.digest_date,
      attempt,
      firstTriedAt: new Date(row.claimed_at ?? row.created_at),
      ...(threadId ? { threadId } : {}),
    });
  }

  /** An adapter should return outcomes, not throw; if one throws anyway, it is a retry. */
  private async safePost(post: () => Promise<PostOutcome>): Promise<PostOutcome> {
    try {
      return await post();
    } catch (e) {
      this.log.error('poster threw instead of returning an outcome', { err: e });
      return { ok: false, action: 'retry', reason: describeError(e) };
    }
  }

  private async disable(channel: ChannelRow, teamId: number, poster: ChatPoster, outcome: Extract<PostOutcome, { ok: false }>): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    if (outcome.action === 'disable-team') {
      await store.teams.disableTeam(teamId, outcome.reason);
      this.log.error('workspace disabled: the platform rejected our credentials', { teamId, reason: outcome.reason });
      return;
    }
    await store.outbox.closeChannel(channel.id, outcome.reason, now);
    this.log.warn('channel disabled', { channelId: channel.id, reason: outcome.reason });
    // Tell the channel once, where the platform still lets us (it often will not).
    await poster
      .post(channel.external_id, {
        kind: 'notice',
        key: `off${channel.id}-${now.getTime()}`,
        text: `I've stopped posting digests here: ${outcome.reason}. Once that's fixed, a manager can run /papers resume.`,
      })
      .catch(() => undefined);
  }

  /** A manager's `/papers digest post`: planned through the same outbox, then sent at once. */
  async postNow(channelId: number): Promise<DigestPostResult> {
    const { store, clock, posters } = this.deps;
    const channel = await store.teams.getChannel(channelId);
    const team = channel && (await store.teams.getTeam(channel.team_id));
    if (!channel || !team) throw new Error(`channel ${channelId} does not exist`);
    if (!posters.get(team.platform)) return { posted: 0, note: `I'm not connected to ${team.platform} right now, so I can't post here.` };
    if (channel.disabled_reason) return { posted: 0, note: `Posting here is stopped (${channel.disabled_reason}); run \`/papers resume\` first.` };
    const now = clock.now();
    const schedule = (await store.schedules.get(channelId)) ?? DEFAULT_SCHEDULE;
    const today = localDate(now, schedule.timezone);
    const digestId = await this.planFor(channel, today, `manual-${now.toISOString()}`, now, 'manual', now);
    const digest = digestId === null ? undefined : await store.outbox.digest(digestId);
    if (!digest || digest.paper_count === 0) return { posted: 0, note: 'Nothing new to post: every matching paper was already posted here. `/papers digest` explains.' };
    await this.sendChannel(channelId);
    const rows = await store.outbox.deliveriesOf(digest.id);
    const posted = rows.filter((r) => r.state === 'sent').length;
    const waiting = rows.length - posted;
    return waiting > 0 ? { posted, note: `Posted ${posted} of ${rows.length}; the rest will follow when the platform lets me.` } : { posted };
  }
}

function headerTitle(d: DigestRow): string {
  const day = DateTime.fromISO(d.digest_date).toFormat('ccc d LLL');
  return d.kind === 'catch-up' ? `Paperboy catch-up · ${day}` : `Paperboy · ${day}`;
}

function headerText(d: DigestRow): string {
  const n = `${d.paper_count} new paper${d.paper_count === 1 ? '' : 's'}`;
  const range = d.window_from === d.window_to ? d.window_to : `${d.window_from} to ${d.window_to}`;
  switch (d.kind) {
    case 'catch-up':
      return `I was offline for a while; here is one catch-up: ${n} listed ${range}.`;
    case 'late':
      return `The digest for ${d.digest_date}, due at ${d.slot} and posted late: ${n} listed ${range}.`;
    default:
      return `${n} listed ${range}. Vote with the buttons or 👍, save with 🔖.`;
  }
}
