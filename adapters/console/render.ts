import { cardActions } from '../../src/commands/card-actions.ts';
import type { PaperCard, Reply } from '../../src/commands/types.ts';

/** How much of an abstract a terminal card shows. */
export const SUMMARY_CHARS = 320;
export const WRAP_COLUMNS = 96;

/** A reply as terminal text. Pure: the session and `paperboy run` print it. */
export function renderReply(reply: Reply): string {
  const out: string[] = [];
  if (reply.title) out.push(`== ${reply.title} ==`);
  if (reply.text) out.push(reply.text);
  reply.cards?.forEach((card, i) => out.push('', renderCard(card, i + 1)));
  if (reply.file) out.push('', `--- ${reply.file.name} ---`, reply.file.content.trimEnd(), `--- end of ${reply.file.name} ---`);
  if (reply.table) out.push('', reply.table);
  if (reply.image) out.push('', `(chart: ${reply.image.name}, ${reply.image.width}×${reply.image.height} PNG; a posted recap writes it next to the store)`);
  if (reply.ephemeral) out.push('(only you can see this)');
  return out.join('\n');
}

export function renderCard(card: PaperCard, n: number): string {
  const { paper } = card;
  const indent = ' '.repeat(String(n).length + 2);
  const stats = [
    `▲ ${paper.upvotes} on HF`,
    `${card.teamVotes} team vote${card.teamVotes === 1 ? '' : 's'}${card.voted ? ' (incl. yours)' : ''}`,
    card.saved ? 'saved by you' : card.saves > 0 ? `saved by ${card.saves}` : null,
  ].filter(Boolean);
  const authors = paper.authors.length > 4 ? `${paper.authors.slice(0, 3).join(', ')} et al.` : paper.authors.join(', ');
  const summary = clip(paper.aiSummary ?? paper.abstract, SUMMARY_CHARS);
  const links = cardActions(card)
    .flatMap((a) => (a.kind === 'open' ? [`${a.label}: ${a.url}`] : []))
    .join('  ');
  const lines = [
    `${n}. ${paper.title} [${paper.id}]`,
    ...wrap([authors, paper.org].filter(Boolean).join(' · '), indent),
    `${indent}${stats.join(' · ')}`,
    ...(card.note ? wrap(card.note, indent) : []),
    ...wrap(summary, indent),
    `${indent}${links}`,
  ];
  return lines.join('\n');
}

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('').trimEnd() + '…';
}

function wrap(text: string, indent: string): string[] {
  const width = WRAP_COLUMNS - indent.length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}
