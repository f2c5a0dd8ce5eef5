import { escapeMarkdown } from 'discord.js';

/**
 * Cuts `s` to at most `max` UTF-16 code units, ending with "…" when cut. Never splits a
 * surrogate pair (half an emoji is an invalid string Discord rejects) and prefers a word
 * boundary when one is near.
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  let cut = max - 1;
  if (isHighSurrogate(s.charCodeAt(cut - 1))) cut -= 1;
  const space = s.lastIndexOf(' ', cut);
  if (space > cut * 0.8) cut = space;
  return s.slice(0, cut).trimEnd() + '…';
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Paper text (titles, abstracts, author names) shown as Discord markdown: every markdown
 * character escaped, and `<@…>`, `<#…>`, `<:emoji:…>`, `<t:…>` shown as typed rather than
 * rendered as mentions.
 */
export function escapePaperText(s: string): string {
  let escaped = escapedPapers.get(s);
  if (escaped === undefined) {
    escaped = escapeMentionSyntax(escapeMarkdown(s, { heading: true, bulletedList: true, numberedList: true, maskedLink: true }));
    if (escapedPapers.size >= ESCAPED_KEPT) escapedPapers.clear();
    escapedPapers.set(s, escaped);
  }
  return escaped;
}

/**
 * A digest posts the same few papers to every channel, and escapeMarkdown's regular
 * expressions are a tenth of a post's CPU: each text is escaped once while it recurs.
 */
const escapedPapers = new Map<string, string>();
const ESCAPED_KEPT = 2_000;

/**
 * A core Reply's text: plain text whose only markup is `code spans`. The spans are kept,
 * everything else is escaped.
 */
export function escapeReplyText(s: string): string {
  return escapeMentionSyntax(
    escapeMarkdown(s, { inlineCode: false, inlineCodeContent: false, heading: true, bulletedList: true, numberedList: true, maskedLink: true }),
  );
}

function escapeMentionSyntax(s: string): string {
  return s.replace(/<(?=[@#:/]|a:|t:)/g, '\\<');
}

/**
 * Splits text into pieces of at most `max`, at line breaks where possible, for text too long
 * for one message field.
 */
export function splitText(s: string, max: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

/** A URL made safe inside `[label](url)`: parentheses would end the link early. */
export function markdownLinkUrl(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}
