import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatPoster, DirectMessage, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import { recapSummary, recapTable, recapTitle } from '../../src/recap/text.ts';
import { renderCard } from './render.ts';

export interface ConsolePosterOptions {
  /** Where a posted recap's chart (PNG) is written: the store's folder (chartDirFor). None: the chart is not written. */
  chartDir?: string | null;
}

/** "Posts" to the terminal: a digest due while the console runs is printed as it would appear. */
export class ConsolePoster implements ChatPoster {
  readonly platform = 'console';
  private seq = 0;
  private readonly posted = new Map<string, string>();

  constructor(
    private readonly print: (text: string) => void,
    private readonly opts: ConsolePosterOptions = {},
  ) {}

  async post(channelId: string, message: OutboundMessage): Promise<PostOutcome> {
    const known = this.posted.get(message.key);
    if (known) return { ok: true, messageId: known };
    const id = `console-${++this.seq}`;
    const body =
      message.kind === 'paper'
        ? renderCard(message.card, this.seq)
        : message.kind === 'header'
          ? `== ${message.title} ==\n${message.text}`
          : message.kind === 'recap'
            ? this.recap(channelId, message)
            : message.text;
    this.print(`\n[#${channelId}] ${body}\n`);
    this.posted.set(message.key, id);
    return { ok: true, messageId: id };
  }

  /** A change to a paper you saved: printed as a direct message to you. */
  async postDirect(userId: string, message: DirectMessage): Promise<PostOutcome> {
    const known = this.posted.get(message.key);
    if (known) return { ok: true, messageId: known };
    const id = `console-${++this.seq}`;
    this.print(`
[direct message to ${userId}] ${message.text}
`);
    this.posted.set(message.key, id);
    return { ok: true, messageId: id };
  }
  /** The recap as text with its table; the chart is written next to the store, and its path printed. */
  private recap(channelId: string, m: Extract<OutboundMessage, { kind: 'recap' }>): string {
    const lines = [`== ${recapTitle(m.recap)} ==`, ...recapSummary(m.recap), '', recapTable(m.recap)];
    if (this.opts.chartDir) {
      const dir = join(this.opts.chartDir, 'recaps');
      const path = join(dir, `${safeName(channelId)}-${m.recap.week}.png`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, m.chart.png);
      lines.push('', `Chart (${m.chart.width}×${m.chart.height} PNG): ${path}`);
    }
    return lines.join('\n');
  }
}

/** A channel name as a file name: console channel names are `[\w.-]`, but a store may hold others. */
function safeName(s: string): string {
  return s.replace(/[^\w.-]/g, '_').slice(0, 64) || 'channel';
}
