/**
 * Fair use on a hosted bot: what one channel may ask for. Operators set the topic limit
 * (PAPERBOY_MAX_TOPICS); the schedule limit is fixed, as every time is a digest to plan and post.
 */
export interface ChannelLimits {
  /** Topics a channel may follow. */
  maxTopics: number;
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = { maxTopics: 25 };

/** Digest times a day a channel may have. */
export const MAX_SCHEDULE_TIMES = 4;
