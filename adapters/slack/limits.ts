/**
 * Slack's message limits (Block Kit reference, chat.postMessage). Exceeding one makes Slack
 * reject the whole message with `invalid_blocks` or `msg_too_long`, so render.ts fits every
 * message inside them rather than hoping.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocksPerMessage: 50,
  /** Characters in a section block's text. */
  sectionText: 3000,
  /** Characters in a header block (plain text). */
  headerText: 150,
  /** Characters in a button's label. */
  buttonText: 75,
  /** Characters in a button's url. */
  buttonUrl: 3000,
  /** Elements in an actions block. */
  actionsElements: 25,
  /** Elements in a context block. */
  contextElements: 10,
  /** Characters in block_id / action_id. */
  blockId: 255,
  /**
   * Visible characters across a message's blocks. Slack documents no single figure; messages
   * much above 12-13k characters are refused in practice (`msg_too_long`), so stay under it.
   */
  messageChars: 12_000,
  /** The top-level `text` (notifications, screen readers). Slack truncates at 40k; keep it short. */
  fallbackText: 3000,
} as const;

/** How much of a paper a card shows: a chat card invites a click, it doesn't replace the abstract. */
export const CARD_TEXT = {
  title: 300,
  summary: 420,
  note: 300,
  authors: 200,
  authorsShown: 3,
} as const;
