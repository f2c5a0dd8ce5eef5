import type { types } from '@slack/bolt';
import { actionId, cardActions } from '../../src/commands/card-actions.ts';
import type { CardAction, PaperCard, Reply } from '../../src/commands/types.ts';
import { safeHttpUrl } from '../../src/domain/paper.ts';
import type { RecapData } from '../../src/recap/data.ts';
import { recapSummary, recapTable, recapTitle } from '../../src/recap/text.ts';
import { CARD_TEXT, SLACK_LIMITS } from './limits.ts';

/**
 * Block Kit for Paperboy's replies and digest posts. Pure: no I/O, no clock. Everything a
 * paper or a person wrote is escaped (`& < >`), so `<!channel>` in a title is shown, not
 * obeyed; only http(s) links are made; every message fits Slack's limits (limits.ts).
 */

export type Block = types.KnownBlock;

/** A message as chat.postMessage, chat.update and response_url take it. */
export interface SlackMessage {
  /** The fallback: notifications, screen readers, clients without blocks. */
  text: string;
  blocks: Block[];
}

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Slack's three control characters: with them escaped, no mention, link or command can be formed. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const asIs = (s: string): string => s;

/** Room past the cut for the grapheme cluster that straddles it (emoji ZWJ sequences are up to about 30 units). */
const CLUSTER_SLACK = 64;

/**
 * `raw`, escaped, in at most `max` UTF-16 units. A cut never splits a character (surrogate
 * pairs, emoji sequences) or an escape entity, prefers a word boundary, and ends with `…`.
 */
export function fit(raw: string, max: number, escape: (s: string) => string = escapeMrkdwn): string {
  // Escaping only lengthens text: longer than `max` as typed, it cannot fit whole.
  if (raw.length <= max) {
    const whole = escape(raw);
    if (whole.length <= max) return whole;
  }
  const budget = max - ELLIPSIS.length;
  // Only the start of `raw` can fit (escaping only lengthens it), and segmenting a long string
  // costs per segment in proportion to its length (about 50 ms for 100 KB): segment the start,
  // less its last cluster, which the cut may have split.
  const head = raw.length > max + CLUSTER_SLACK ? raw.slice(0, max + CLUSTER_SLACK) : raw;
  const segments = [...graphemes.segment(head)];
  if (head !== raw) segments.pop();
  let out = '';
  for (const { segment } of segments) {
    const piece = escape(segment);
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  // A space is never inside an entity or a character, so cutting there is always safe.
  const space = out.lastIndexOf(' ');
  if (space > budget * 0.8) out = out.slice(0, space);
  return out.trimEnd() + ELLIPSIS;
}

/** For plain_text fields, which Slack never parses for mentions or markup. */
export function fitPlain(raw: string, max: number): string {
  return fit(raw, max, asIs);
}

/** `<url|label>` for an http(s) url, else the label alone. `label` must already be escaped. */
export function mrkdwnLink(url: string | null | undefined, label: string): string {
  const safe = safeHttpUrl(url);
  if (!safe || safe.length > 1000) return label;
  // `|` and `>` would end the url part early; they are legal in a url once percent-encoded.
  return `<${safe.replace(/[|<>]/g, (c) => encodeURIComponent(c))}|${label}>`;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: fitPlain(text, max) || ' ', emoji: true };
}

function section(mrkdwn: string, blockId?: string): types.SectionBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text: mrkdwn } };
}

function context(mrkdwn: string[], blockId?: string): types.ContextBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: mrkdwn.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text })),
  };
}

// ---------------------------------------------------------------------------------------
// One paper

/** Block ids carry the paper, so a button click can redraw just that paper's buttons. */
export function cardBlockId(paperId: string, part: 'text' | 'meta' | 'actions'): string {
  return `pb:card:${paperId}:${part}`.slice(0, SLACK_LIMITS.blockId);
}

export interface CardOptions {
  /** The message is seen only by the person whose votes/saves the card carries. */
  personal: boolean;
}

/** Three blocks per paper: linked title with summary, a context line, and the buttons. */
export function paperBlocks(card: PaperCard, opts: CardOptions): Block[] {
  const p = card.paper;
  const lines = [`*${mrkdwnLink(safeHttpUrl(p.links.hf) ?? p.links.arxiv, fit(p.title, CARD_TEXT.title))}*`];
  const summary = p.aiSummary ?? p.abstract;
  if (summary) lines.push(fit(summary, CARD_TEXT.summary));
  if (card.note) lines.push(`_${fit(card.note, CARD_TEXT.note)}_`);
  return [section(lines.join('\n'), cardBlockId(p.id, 'text')), context(metaLine(card), cardBlockId(p.id, 'meta')), actionsBlock(card, opts)];
}

function metaLine(card: PaperCard): string[] {
  const p = card.paper;
  const shown = p.authors.slice(0, CARD_TEXT.authorsShown).join(', ');
  const more = p.authors.length > CARD_TEXT.authorsShown ? ` +${p.authors.length - CARD_TEXT.authorsShown} more` : '';
  const facts = [
    p.org,
    p.upvotes > 0 ? `▲ ${p.upvotes.toLocaleString('en-US')} on Hugging Face` : null,
    p.publishedAt ? p.publishedAt.slice(0, 10) : null,
    `arXiv ${p.id}`,
  ].filter((x): x is string => Boolean(x));
  return [shown ? fit(shown + more, CARD_TEXT.authors) : null, fit(facts.join(' · '), CARD_TEXT.authors)].filter((x): x is string => Boolean(x));
}

function actionsBlock(card: PaperCard, opts: CardOptions): types.ActionsBlock {
  const elements = cardActions(card)
    .map((a) => button(a, card.paper.id, opts))
    .filter((b): b is types.Button => b !== null)
    .slice(0, SLACK_LIMITS.actionsElements);
  return { type: 'actions', block_id: cardBlockId(card.paper.id, 'actions'), elements };
}

/** Link buttons still send Slack an interaction when clicked; their ids say "just ack me". */
export const OPEN_ACTION_PREFIX = 'pb:open:';

function button(a: CardAction, paperId: string, opts: CardOptions): types.Button | null {
  switch (a.kind) {
    case 'vote':
      return {
        type: 'button',
        action_id: actionId('vote', a.paperId),
        value: a.paperId,
        text: plain(`👍 Upvote (${a.count.toLocaleString('en-US')})`, SLACK_LIMITS.buttonText),
        ...(opts.personal && a.active ? { style: 'primary' as const } : {}),
      };
    case 'save':
      return {
        type: 'button',
        action_id: actionId('save', a.paperId),
        value: a.paperId,
        text: plain(opts.personal && a.active ? '🔖 Saved' : '🔖 Save', SLACK_LIMITS.buttonText),
      };
    case 'open': {
      const url = safeHttpUrl(a.url);
      if (!url || url.length > SLACK_LIMITS.buttonUrl) return null;
      const slug = a.label.toLowerCase().replace(/[^a-z0-9]+/g, '');
      return { type: 'button', action_id: `${OPEN_ACTION_PREFIX}${slug}:${paperId}`.slice(0, SLACK_LIMITS.blockId), text: plain(a.label, SLACK_LIMITS.buttonText), url };
    }
  }
}

/**
 * The message's blocks with one paper's buttons redrawn (new counts), everything else as it
 * was (the note and summary belong to whoever posted it). Null when the paper isn't there.
 */
export function replaceCardActions(blocks: readonly unknown[] | undefined, card: PaperCard): Block[] | null {
  if (!blocks) return null;
  const id = cardBlockId(card.paper.id, 'actions');
  const at = blocks.findIndex((b) => (b as { block_id?: unknown } | null)?.block_id === id);
  if (at < 0) return null;
  const next = [...blocks] as Block[];
  next[at] = actionsBlock(card, { personal: false });
  return next;
}

// ---------------------------------------------------------------------------------------
// Whole messages

/** Adds blocks while they fit Slack's block count and size. */
class MessageBuilder {
  readonly blocks: Block[] = [];
  private chars = 0;

  fits(blocks: readonly Block[], reserveBlocks = 0, reserveChars = 0): boolean {
    return (
      this.blocks.length + blocks.length + reserveBlocks <= SLACK_LIMITS.blocksPerMessage &&
      this.chars + textLength(blocks) + reserveChars <= SLACK_LIMITS.messageChars
    );
  }

  add(...blocks: Block[]): void {
    this.blocks.push(...blocks);
    this.chars += textLength(blocks);
  }

  get charsLeft(): number {
    return SLACK_LIMITS.messageChars - this.chars;
  }
}

/** Visible characters in blocks: every `text` string, at any depth. */
export function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (value && typeof value === 'object') {
    let n = 0;
    for (const [k, v] of Object.entries(value)) n += k === 'text' && typeof v === 'string' ? v.length : textLength(v);
    return n;
  }
  return 0;
}

/** Room kept for the "N more not shown" line. */
const OVERFLOW_NOTE = { blocks: 1, chars: 120 };

/** A command's reply. Ephemeral replies may show the asker's own vote/save state. */
export function renderReply(reply: Reply): SlackMessage {
  const m = new MessageBuilder();
  if (reply.title) m.add({ type: 'header', text: plain(reply.title, SLACK_LIMITS.headerText) });
  const cards = reply.cards ?? [];
  addText(m, reply.text, cards.length > 0 ? 1 : 0);
  if (reply.file) {
    // Text that filled the message leaves no room: the file's name and its note would overflow it.
    const blocks = fileBlocks(reply.file, Math.min(FILE_BUDGET, m.charsLeft - 1_000));
    const notes = cards.length > 0 ? 1 : 0;
    if (m.fits(blocks, notes * OVERFLOW_NOTE.blocks, notes * OVERFLOW_NOTE.chars)) m.add(...blocks);
  }

  if (reply.table) {
    // A response_url cannot carry a file: the recap preview's chart is shown as its table.
    const block = section(tableBlock(reply.table));
    if (m.fits([block], 1, OVERFLOW_NOTE.chars)) m.add(block);
  }

  let shown = 0;
  for (const card of cards) {
    const blocks = paperBlocks(card, { personal: reply.ephemeral });
    const last = shown === cards.length - 1;
    if (!m.fits(blocks, last ? 0 : OVERFLOW_NOTE.blocks, last ? 0 : OVERFLOW_NOTE.chars)) break;
    m.add(...blocks);
    shown++;
  }
  if (shown < cards.length) {
    const n = cards.length - shown;
    m.add(context([`…and ${n} more ${n === 1 ? 'paper' : 'papers'} not shown here: Slack limits how much one message can hold.`]));
  }
  if (m.blocks.length === 0) m.add(section(' '));
  return { text: fallbackText([reply.title, reply.text, ...cards.map((c) => `• ${c.paper.title}`), reply.file ? `(${reply.file.name})` : undefined]), blocks: m.blocks };
}

/** Room a file gets in a reply, leaving some for its text. */
const FILE_BUDGET = 8_000;

/** Text as sections, as far as it fits, with a note where it was cut; `notesAfter` keeps room for later notes. */
function addText(m: MessageBuilder, text: string, notesAfter = 0): void {
  const chunks = textSections(text);
  for (const [i, chunk] of chunks.entries()) {
    const notes = (i === chunks.length - 1 ? 0 : 1) + notesAfter;
    if (!m.fits([section(chunk)], notes * OVERFLOW_NOTE.blocks, notes * OVERFLOW_NOTE.chars)) {
      m.add(context(['…the rest is cut: Slack limits how much one message can hold.']));
      return;
    }
    m.add(section(chunk));
  }
}

/** One digest paper, as the delivery layer posts it. */
export function renderPaperMessage(card: PaperCard): SlackMessage {
  const p = card.paper;
  return { text: fallbackText([p.title, safeHttpUrl(p.links.hf) ?? safeHttpUrl(p.links.arxiv) ?? undefined]), blocks: paperBlocks(card, { personal: false }) };
}

/** The heading of a digest. */
export function renderHeaderMessage(title: string, text: string): SlackMessage {
  const m = new MessageBuilder();
  m.add({ type: 'header', text: plain(title, SLACK_LIMITS.headerText) });
  addText(m, text);
  return { text: fallbackText([title, text]), blocks: m.blocks };
}

/**
 * The weekly recap: titles and topics escaped (a title reading `<!channel>` notifies nobody).
 * `table`: the week's figures as a text table, for a workspace where the chart cannot be
 * uploaded (no files:write scope).
 */
export function renderRecapMessage(recap: RecapData, opts: { table: boolean }): SlackMessage {
  const m = new MessageBuilder();
  const title = recapTitle(recap);
  m.add({ type: 'header', text: plain(title, SLACK_LIMITS.headerText) });
  const summary = recapSummary(recap).join('\n');
  addText(m, summary, opts.table ? 1 : 0);
  if (opts.table) {
    const block = section(tableBlock(recapTable(recap)));
    if (m.fits([block])) m.add(block);
  }
  return { text: fallbackText([title, summary]), blocks: m.blocks };
}

/** A fixed-width table as a code block: escaped, and without backticks that would end the block early. */
function tableBlock(table: string): string {
  return '```' + fit(table.replace(/`/g, "'"), SLACK_LIMITS.sectionText - 6) + '```';
}

export function renderNotice(text: string): SlackMessage {
  const m = new MessageBuilder();
  addText(m, text);
  if (m.blocks.length === 0) m.add(section(' '));
  return { text: fallbackText([text]), blocks: m.blocks };
}

/** Reply text (plain, `code spans` only) as section texts of at most 3000 characters, split at line ends. */
function textSections(text: string): string[] {
  if (!text.trim()) return [];
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const escaped = fit(line, SLACK_LIMITS.sectionText);
    if (current && current.length + 1 + escaped.length > SLACK_LIMITS.sectionText) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${escaped}` : escaped;
  }
  if (current) out.push(current);
  return out;
}

function fallbackText(parts: Array<string | null | undefined>): string {
  const text = parts.filter((p): p is string => Boolean(p?.trim())).join('\n');
  return fit(text || 'Paperboy', SLACK_LIMITS.fallbackText);
}

// ---------------------------------------------------------------------------------------
// Files

const FENCE = '```';

/**
 * A file (the reading-list export) as code blocks in the message itself, whole entries only, up to
 * `budget` characters, with a note when some entries didn't fit. Uploading a real file would
 * need the files:write scope and three more API calls per export; a code block copies as well.
 */
export function fileBlocks(file: { name: string; content: string; contentType?: string; entries?: readonly string[] }, budget: number): Block[] {
  const entries = (file.entries ?? file.content.split(/\n(?=@)/)).map((e) => e.replace(/\r\n/g, '\n').trim()).filter(Boolean);
  // A JSON file's items are shown as arrays, one per block, so each block is a valid file itself.
  const json = file.contentType?.includes('json') === true;
  const [open, sep, close] = json ? ['[\n', ',\n', '\n]'] : ['', '\n\n', ''];
  const room = SLACK_LIMITS.sectionText - FENCE.length * 2 - 2 - open.length - close.length;
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  let included = 0;
  for (const entry of entries) {
    const body = fit(entry, room, escapeCode);
    if (used + body.length > budget) break;
    if (current && current.length + sep.length + body.length > room) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}${sep}${body}` : body;
    used += body.length + 2;
    included++;
  }
  if (current) chunks.push(current);
  const blocks: Block[] = [context([`📎 ${fit(file.name, 200)}`])];
  for (const c of chunks) blocks.push(section(`${FENCE}\n${open}${c}${close}\n${FENCE}`));
  if (included < entries.length) {
    blocks.push(context([`Showing ${included} of ${entries.length} entries: Slack limits how much one message can hold.`]));
  }
  return blocks;
}

/** Inside a code block only a triple backtick is special (besides `& < >`). */
function escapeCode(s: string): string {
  return escapeMrkdwn(s).replace(/```/g, '`\u200b`\u200b`');
}

// ---------------------------------------------------------------------------------------
// Checking

/**
 * What, if anything, in a message breaks Slack's limits or lets markup through. Empty when
 * the message is safe to send. Tests run every rendered message through it.
 */
export function limitViolations(msg: SlackMessage): string[] {
  const problems: string[] = [];
  if (msg.blocks.length > SLACK_LIMITS.blocksPerMessage) problems.push(`${msg.blocks.length} blocks`);
  const total = textLength(msg.blocks);
  if (total > SLACK_LIMITS.messageChars) problems.push(`${total} characters in blocks`);
  if (msg.text.length > SLACK_LIMITS.fallbackText) problems.push(`fallback text of ${msg.text.length}`);
  if (!msg.text.trim()) problems.push('empty fallback text');
  msg.blocks.forEach((b, i) => {
    if (b.type === 'section' && b.text && b.text.text.length > SLACK_LIMITS.sectionText) problems.push(`block ${i}: section of ${b.text.text.length}`);
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText) problems.push(`block ${i}: header of ${b.text.text.length}`);
    if (b.type === 'actions') {
      if (b.elements.length > SLACK_LIMITS.actionsElements) problems.push(`block ${i}: ${b.elements.length} actions`);
      for (const e of b.elements) {
        if (e.type !== 'button') continue;
        if (e.text.text.length > SLACK_LIMITS.buttonText) problems.push(`block ${i}: button label of ${e.text.text.length}`);
        if (e.url !== undefined && !/^https?:\/\//.test(e.url)) problems.push(`block ${i}: button url ${e.url}`);
      }
    }
  });
  return problems;
}
