import type { ChatPoster, OutboundMessage, PostOutcome } from '../../src/delivery/port.ts';

/**
 * A ChatPoster for core delivery tests (the adapters have their own, against fake platforms):
 * records what each channel received and every call made, and can be told to fail. Like the
 * real adapters it finds an earlier post by key only on a retry (`attempt` > 1, the port's
 * contract): a first attempt sent twice lands twice, so a test sees an engine that breaks it.
 */
export class RecordingPoster implements ChatPoster {
  readonly posts: Array<{ channel: string; message: OutboundMessage; messageId: string }> = [];
  /** Every call, including those answered from an earlier post or by `script`. */
  readonly calls: Array<{ channel: string; message: OutboundMessage }> = [];
  private readonly byKey = new Map<string, string>();
  /** Decides each outcome before it is recorded; return null to post normally. */
  script: (channel: string, message: OutboundMessage) => PostOutcome | null = () => null;

  constructor(readonly platform = 'console') {}

  async post(channel: string, message: OutboundMessage): Promise<PostOutcome> {
    this.calls.push({ channel, message });
    const scripted = this.script(channel, message);
    if (scripted) return scripted;
    const known = (message.attempt ?? 1) > 1 ? this.byKey.get(message.key) : undefined;
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
