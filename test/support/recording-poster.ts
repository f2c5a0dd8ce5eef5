import type { ChatPoster, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';

/**
 * A ChatPoster for core delivery tests (the adapters have their own, against fake platforms):
 * records what each channel received, answers idempotently by key like the real adapters
 * promise to, and can be told to fail.
 */
export class RecordingPoster implements ChatPoster {
  readonly posts: Array<{ channel: string; message: OutboundMessage; messageId: string }> = [];
  private readonly byKey = new Map<string, string>();
  /** Decides each outcome before it is recorded; return null to post normally. */
  script: (channel: string, message: OutboundMessage) => PostOutcome | null = () => null;

  constructor(readonly platform = 'console') {}

  async post(channel: string, message: OutboundMessage): Promise<PostOutcome> {
    const scripted = this.script(channel, message);
    if (scripted) return scripted;
    const known = this.byKey.get(message.key);
    if (known) return { ok: true, messageId: known };
    const messageId = `m${this.posts.length + 1}`;
    this.byKey.set(message.key, messageId);
    this.posts.push({ channel, message, messageId });
    return { ok: true, messageId };
  }

  papersIn(channel: string): string[] {
    return this.posts.flatMap((p) => (p.channel === channel && p.message.kind === 'paper' ? [p.message.card.paper.id] : []));
  }

  headersIn(channel: string): string[] {
    return this.posts.flatMap((p) => (p.channel === channel && p.message.kind === 'header' ? [`${p.message.title} | ${p.message.text}`] : []));
  }
}
