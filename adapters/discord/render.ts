import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { actionId, cardActions } from '../../src/commands/card-actions.ts';
import type { PaperCard, Reply } from '../../src/commands/types.ts';
import type { OutboundMessage } from '../../src/delivery/port.ts';
import type { RecapChart } from '../../src/recap/chart.ts';
import type { RecapData } from '../../src/recap/data.ts';
import { recapSummary, recapTitle } from '../../src/recap/text.ts';
import { safeHttpUrl } from '../../src/domain/paper.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { escapePaperText, escapeReplyText, markdownLinkUrl, splitText, truncate } from './text.ts';

/*
 * Pure rendering: core replies and paper cards to Discord message JSON. Nothing here talks to
 * Discord; every output stays inside DISCORD_LIMITS.
 */

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message in Discord's JSON shape, before it is sent as a post, a reply or an edit. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** Nothing a message says may ping anyone: paper titles and user input end up in it. */
  allowed_mentions: { parse: [] };
  file?: { name: string; data: Buffer; contentType: string };
}

const EMBED_COLOR = 0xffd21e;
/** An abstract is trimmed to what reads as a teaser in a chat; the HF summary is one sentence anyway. */
const SUMMARY_CHARS = 600;
const AUTHORS_SHOWN = 6;
const NO_MENTIONS = { parse: [] as [] };

/** Numbers papers when several share one message, so a button row can be told apart. */
type Position = number | null;

export function renderCardEmbed(card: PaperCard, position: Position): APIEmbed {
  const { paper } = card;
  const summary = paper.aiSummary ?? paper.abstract;
  const description = [
    card.note ? `> ${escapePaperText(truncate(card.note, 300))}` : null,
    summary ? escapePaperText(truncate(summary, SUMMARY_CHARS)) : null,
    extraLinks(card),
  ]
    .filter(Boolean)
    .join('\n\n');

  const fields: APIEmbedField[] = [];
  if (paper.authors.length > 0) {
    const shown = paper.authors.slice(0, AUTHORS_SHOWN).join(', ');
    const more = paper.authors.length > AUTHORS_SHOWN ? ` +${paper.authors.length - AUTHORS_SHOWN} more` : '';
    fields.push({ name: 'Authors', value: truncate(escapePaperText(truncate(shown, L.fieldValue)) + more, L.fieldValue) });
  }
  if (paper.org) fields.push({ name: 'Organization', value: truncate(escapePaperText(truncate(paper.org, L.fieldValue)), L.fieldValue), inline: true });
  fields.push({ name: 'Upvotes', value: `${paper.upvotes} on Hugging Face · ${card.teamVotes} from this team`, inline: true });

  const embed: APIEmbed = {
    title: truncate(`${position ? `${position}. ` : ''}${escapePaperText(truncate(paper.title, L.embedTitle))}`, L.embedTitle),
    color: EMBED_COLOR,
    fields,
    footer: { text: cardFooter(card) },
  };
  const url = safeHttpUrl(paper.links.hf) ?? safeHttpUrl(paper.links.arxiv);
  if (url) embed.url = url;
  if (description) embed.description = truncate(description, L.embedDescription);
  const thumb = safeHttpUrl(paper.thumbnailUrl);
  if (thumb) embed.thumbnail = { url: thumb };
  return embed;
}

/** `arXiv:<id>`: also how a button click finds its paper's embed in a message of several. */
function cardFooter(card: PaperCard): string {
  const day = card.paper.publishedAt?.slice(0, 10);
  return `arXiv:${card.paper.id}${day ? ` · published ${day}` : ''}`;
}

/** Links that did not fit as buttons (a row holds five). */
function extraLinks(card: PaperCard): string | null {
  const links = [
    ['Code', safeHttpUrl(card.paper.links.github)],
    ['Project page', safeHttpUrl(card.paper.links.project)],
  ].flatMap(([label, url]) => (url ? [`[${label}](${markdownLinkUrl(url)})`] : []));
  return links.length > 0 ? links.join(' · ') : null;
}

/** Upvote (with the team's count), Save, then link buttons: at most one row of five. */
export function renderCardButtons(card: PaperCard, position: Position): ButtonRow {
  const prefix = position ? `#${position} ` : '';
  const buttons: APIButtonComponent[] = cardActions(card).flatMap((a): APIButtonComponent[] => {
    switch (a.kind) {
      case 'vote':
      case 'save': {
        const customId = actionId(a.kind, a.paperId);
        if (customId.length > L.customId) return [];
        const label = a.kind === 'vote' ? `Upvote (${a.count})` : a.active ? 'Saved' : 'Save';
        const style = a.active ? ButtonStyle.Success : a.kind === 'vote' ? ButtonStyle.Primary : ButtonStyle.Secondary;
        return [{ type: ComponentType.Button, style, label: truncate(prefix + label, L.buttonLabel), custom_id: customId }];
      }
      case 'open':
        return [{ type: ComponentType.Button, style: ButtonStyle.Link, label: truncate(a.label, L.buttonLabel), url: a.url }];
    }
  });
  return { type: ComponentType.ActionRow, components: buttons.slice(0, L.buttonsPerRow) };
}

/** Embeds for up to `maxEmbeds` cards and button rows for the first five of them. */
export function renderCards(cards: readonly PaperCard[], maxEmbeds: number = L.embedsPerMessage): { embeds: APIEmbed[]; components: ButtonRow[]; omitted: number } {
  const shown = cards.slice(0, Math.max(0, maxEmbeds));
  const numbered = cards.length > 1;
  const embeds = shown.map((c, i) => renderCardEmbed(c, numbered ? i + 1 : null));
  const components = shown.slice(0, L.rowsPerMessage).map((c, i) => renderCardButtons(c, numbered ? i + 1 : null));
  return { embeds, components, omitted: cards.length - shown.length };
}

/** A core reply as a Discord message: title and text as content, papers as embeds with buttons, a file as an attachment. */
export function renderReply(reply: Reply): DiscordMessage {
  // Escaping only lengthens text: what cannot be shown is cut before it is escaped.
  const heading = reply.title ? `**${escapeReplyText(truncate(reply.title, L.embedTitle))}**` : '';
  const text = escapeReplyText(truncate(reply.text, L.embedDescription * L.embedsPerMessage));
  let content = [heading, text].filter(Boolean).join('\n');
  const embeds: APIEmbed[] = [];
  if (content.length > L.content) {
    // Long text (help) goes where more fits: embed descriptions of up to 4096 each, and no more
    // than all embeds together may hold.
    content = heading;
    for (const piece of splitText(truncate(text, L.embedTotalPerMessage), L.embedDescription)) if (piece) embeds.push({ description: piece, color: EMBED_COLOR });
  }
  const cards = renderCards(reply.cards ?? [], L.embedsPerMessage - embeds.length);
  embeds.push(...cards.embeds);
  if (cards.omitted > 0) content += `\n(${cards.omitted} more not shown: Discord fits ${L.embedsPerMessage} per message)`;
  const message: DiscordMessage = { embeds: fitEmbeds(embeds), components: cards.components, allowed_mentions: NO_MENTIONS };
  if (reply.file) message.file = { name: reply.file.name, data: Buffer.from(reply.file.content, 'utf8'), contentType: reply.file.contentType };
  if (reply.image) {
    // The chart says what the table would: attached and shown in an embed of its own.
    message.file = { name: reply.image.name, data: reply.image.png, contentType: 'image/png' };
    message.embeds.push({ description: truncate(escapeReplyText(reply.image.alt), L.embedDescription), image: { url: `attachment://${reply.image.name}` }, color: EMBED_COLOR });
  } else if (reply.table) {
    message.embeds.push({ description: truncate(codeBlock(reply.table), L.embedDescription), color: EMBED_COLOR });
  }
  message.embeds = fitEmbeds(message.embeds);
  content = truncate(content.trim(), L.content);
  if (content) message.content = content;
  else if (message.embeds.length === 0 && !message.file) message.content = '(nothing to show)';
  return message;
}

const HEADER_FOOTER_PREFIX = 'Paperboy · ';

/** A digest header's footer: names its delivery key (short, e.g. `h42`), so the header can be found again. */
export function headerFooter(key: string): string {
  return truncate(`${HEADER_FOOTER_PREFIX}${key}`, L.footerText);
}

/** The delivery key in a message's digest-header footer, or null when it is no header of ours. */
export function headerKeyOf(message: { embeds?: readonly APIEmbed[] }): string | null {
  const footer = message.embeds?.[0]?.footer?.text;
  return footer?.startsWith(HEADER_FOOTER_PREFIX) ? footer.slice(HEADER_FOOTER_PREFIX.length) : null;
}

/** What the delivery layer posts to a channel. */
export function renderOutbound(m: OutboundMessage): DiscordMessage {
  switch (m.kind) {
    case 'paper': {
      const { embeds, components } = renderCards([m.card]);
      return { embeds: fitEmbeds(embeds), components, allowed_mentions: NO_MENTIONS };
    }
    case 'header': {
      // An embed, so its footer can carry the delivery key: a fetched message keeps no nonce,
      // and a retry must find this header by key, not by text another header may share.
      // Cut before escaping too: escaping is slow on very long text (found by fuzzing).
      const title = truncate(escapeReplyText(truncate(m.title, L.embedTitle)), L.embedTitle);
      const embed: APIEmbed = {
        ...(title ? { title } : {}), // Discord refuses an empty title
        description: truncate(escapeReplyText(truncate(m.text, L.embedDescription)) || '\u200b', L.embedDescription),
        color: EMBED_COLOR,
        footer: { text: headerFooter(m.key) },
      };
      return { embeds: [embed], components: [], allowed_mentions: NO_MENTIONS };
    }
    case 'notice':
      return { content: truncate(escapeReplyText(truncate(m.text, L.content)) || '(empty notice)', L.content), embeds: [], components: [], allowed_mentions: NO_MENTIONS };
    case 'recap':
      return renderRecapMessage(m.key, m.recap, m.chart);
  }
}

/**
 * The weekly recap: one embed (titles and topics escaped as paper text, so none mentions anyone)
 * showing the chart, which is attached to the message. Its footer names the delivery key, as a
 * header's does, so a retry finds it.
 */
export function renderRecapMessage(key: string, recap: RecapData, chart: RecapChart): DiscordMessage {
  const description = recapSummary(recap)
    .map((line) => escapePaperText(truncate(line, L.embedDescription)))
    .join('\n');
  const embed: APIEmbed = {
    title: truncate(escapeReplyText(recapTitle(recap)), L.embedTitle),
    description: truncate(description, L.embedDescription) || '\u200b',
    color: EMBED_COLOR,
    image: { url: `attachment://${chart.name}` },
    footer: { text: headerFooter(key) },
  };
  return { embeds: fitEmbeds([embed]), components: [], allowed_mentions: NO_MENTIONS, file: { name: chart.name, data: chart.png, contentType: 'image/png' } };
}

/** A fixed-width table in a code block: a backtick in a cell could end the block, so none is let through. */
function codeBlock(table: string): string {
  return '```\n' + table.replace(/`/g, "'") + '\n```';
}

/**
 * The message after a button click changed one paper: that paper's embed and button row
 * redrawn, the rest as they were. Null when the button is not in the message.
 */
export function replaceCard(
  message: { embeds: readonly APIEmbed[]; components: readonly ButtonRow[] },
  clickedCustomId: string,
  card: PaperCard,
): { embeds: APIEmbed[]; components: ButtonRow[] } | null {
  const row = message.components.findIndex((r) => r.components.some((b) => 'custom_id' in b && b.custom_id === clickedCustomId));
  if (row < 0) return null;
  const position = message.components.length > 1 ? row + 1 : null;
  const footer = `arXiv:${card.paper.id}`;
  const embeds = message.embeds.map((e) => (e.footer?.text?.split(' · ')[0] === footer ? renderCardEmbed(card, position) : e));
  const components = message.components.map((r, i) => (i === row ? renderCardButtons(card, position) : r));
  return { embeds: fitEmbeds(embeds), components };
}

/** Characters Discord counts toward the 6000 per message. */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Shortens the longest descriptions until all embeds together fit Discord's 6000 characters. */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.map((e) => ({ ...e }));
  let total = out.reduce((n, e) => n + embedLength(e), 0);
  while (total > L.embedTotalPerMessage) {
    const longest = out.reduce((a, b) => ((b.description?.length ?? 0) > (a.description?.length ?? 0) ? b : a));
    const len = longest.description?.length ?? 0;
    if (len === 0) {
      // Only titles and fields left over the limit: drop the last embed rather than be rejected.
      out.pop();
    } else {
      longest.description = truncate(longest.description!, Math.max(0, len - (total - L.embedTotalPerMessage)));
      if (!longest.description) {
        delete longest.description;
        // Discord refuses an embed with nothing to show.
        if (!longest.title && !longest.fields?.length) out.splice(out.indexOf(longest), 1);
      }
    }
    total = out.reduce((n, e) => n + embedLength(e), 0);
  }
  return out;
}
