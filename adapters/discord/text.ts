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
    escaped = escapeMentionSyntax(inPieces(s, (piece) => escapeMarkdown(piece, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })));
    if (escapedPapers.size >= ESCAPED_KEPT) escapedPapers.clear();
    if (s.length <= ESCAPED_MAX_LENGTH) escapedPapers.set(s, escaped);
  }
  return escaped;
}

/**
 * A digest posts the same few papers to every channel, and escapeMarkdown's regular
 * expressions are a tenth of a post's CPU: each text is escaped once while it recurs.
 */
const escapedPapers = new Map<string, string>();
const ESCAPED_KEPT = 2_000;
/** Longer than any real title or abstract: not kept (bounds the memory to a few MB). */
const ESCAPED_MAX_LENGTH = 5_000;

/**
 * A core Reply's text: plain text whose only markup is `code spans`. The spans are kept,
 * everything else is escaped.
 */
export function escapeReplyText(s: string): string {
  return escapeMentionSyntax(
    inPieces(s, (piece) => escapeMarkdown(piece, { inlineCode: false, inlineCodeContent: false, heading: true, bulletedList: true, numberedList: true, maskedLink: true })),
  );
}

/** Text up to this long is escaped whole; longer text in pieces of about `ESCAPE_PIECE`. */
const ESCAPE_WHOLE = 1_000;
const ESCAPE_PIECE = 200;

/**
 * discord.js's escapeMarkdown is quadratic in a line's length: its lookbehinds scan back at
 * every `_` and `*` (found by fuzzing: 60 KB of text took 100 s, blocking the bot). Long text
 * is escaped in pieces cut after a space or line break where there is one; at worst a
 * character at a cut is escaped that did not need it, which Discord shows as typed.
 */
function inPieces(s: string, escape: (piece: string) => string): string {
  if (s.length <= ESCAPE_WHOLE) return escape(s);
  let out = '';
  for (let start = 0; start < s.length; ) {
    let end = Math.min(s.length, start + ESCAPE_PIECE);
    if (end < s.length) {
      const brk = Math.max(s.lastIndexOf(' ', end - 1), s.lastIndexOf('\n', end - 1));
      if (brk > start) end = brk + 1;
      else if (isHighSurrogate(s.charCodeAt(end - 1))) end -= 1;
    }
    out += escape(s.slice(start, end));
    start = end;
  }
  return out;
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
