import type { PaperCard } from '../commands/types.ts';
import type { RecapChart } from '../recap/chart.ts';
import type { RecapData } from '../recap/data.ts';

/**
 * What the delivery layer asks of a chat platform. Each adapter implements it with its own
 * library (discord.js REST, Slack WebClient), whose rate-limit queue does the pacing.
 */
export interface ChatPoster {
  readonly platform: string;
  /**
   * Posts one message and returns its platform id. Must be safe to call again with the same
   * `key` after an unknown outcome (Discord: nonce + enforce_nonce; Slack: look the key up
   * in the message metadata of the channel's recent history before posting again).
   */
  post(channelId: string, message: OutboundMessage): Promise<PostOutcome>;
  /**
   * Where each team has its own credentials (Slack install mode), the poster that posts as
   * this team (the platform's team id); absent where one credential serves every team.
   */
  forTeam?(teamExternalId: string): ChatPoster;
  /**
   * Sends a direct message to one person (a change to a paper they saved), where the platform
   * has them. `disable-*` outcomes are read as "give this message up": a person who refuses
   * direct messages never stops a channel or a team.
   */
  postDirect?(userId: string, message: DirectMessage): Promise<PostOutcome>;
}

/**
 * A direct message. `key` is stable across retries. `inDoubt`: an earlier try never settled (a
 * crash, a lost lease), so it may have reached the person; the adapter checks, or holds back
 * rather than send a second copy. A try that ended in a refusal (rate limit, error) is not in doubt.
 */
export interface DirectMessage {
  key: string;
  text: string;
  inDoubt?: boolean;
  /** When the try in doubt began: how far back a check need look. */
  firstTriedAt?: Date;
}

/**
 * `key` is unique per post and stable across retries. `attempt` counts tries including this
 * one, leaving out claims that provably never posted (a crash leaves a whole run claimed; only
 * its row in flight may have landed): above 1, an earlier try (perhaps by another process,
 * which crashed) may have reached the platform, so the adapter checks the platform before
 * posting again, whatever it remembers itself. `firstTriedAt`: no earlier try began before
 * it, so the check need not look further back.
 */
export type OutboundMessage =
  | { kind: 'paper'; key: string; card: PaperCard; digestDate: string; attempt?: number; firstTriedAt?: Date; threadId?: string }
  | { kind: 'header'; key: string; title: string; text: string; digestDate: string; attempt?: number; firstTriedAt?: Date }
  | { kind: 'notice'; key: string; text: string; attempt?: number; firstTriedAt?: Date }
  /** The weekly recap: the adapter renders the data (escaping titles and topics its own way) and attaches the chart where it can. */
  | { kind: 'recap'; key: string; recap: RecapData; chart: RecapChart; attempt?: number; firstTriedAt?: Date };

export type PostOutcome =
  /**
   * `checkProblem`: what the adapter found when it last tried to read this channel for the
   * duplicate check: why it cannot (e.g. a missing scope), null when it can; absent when it has
   * not looked. Shown by /papers status.
   */
  | { ok: true; messageId: string; checkProblem?: string | null }
  /** The channel is gone or closed to us: stop posting there until a manager runs /papers resume. */
  | { ok: false; action: 'disable-channel'; reason: string }
  /** The credentials are dead: stop posting to the whole workspace. */
  | { ok: false; action: 'disable-team'; reason: string }
  /** The platform refused this message as it is (e.g. Discord's 400 Invalid Form Body): give it up and go on with the channel's next. */
  | { ok: false; action: 'drop'; reason: string }
  /** Worth another try later (5xx, network, rate limit the library gave up on). */
  | { ok: false; action: 'retry'; reason: string; retryAfterMs?: number };
