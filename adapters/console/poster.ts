import type { ChatPoster, DirectMessage, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';
import { renderCard } from './render.ts';

/** "Posts" to the terminal: a digest due while the console runs is printed as it would appear. */
export class ConsolePoster implements ChatPoster {
  readonly platform = 'console';
  private seq = 0;
  private readonly posted = new Map<string, string>();

  constructor(private readonly print: (text: string) => void) {}

  async post(channelId: string, message: OutboundMessage): Promise<PostOutcome> {
    const known = this.posted.get(message.key);
    if (known) return { ok: true, messageId: known };
    const id = `console-${++this.seq}`;
    const body =
      message.kind === 'paper'
        ? renderCard(message.card, this.seq)
        : message.kind === 'header'
          ? `== ${message.title} ==\n${message.text}`
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
}
