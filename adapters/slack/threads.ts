import type { webApi } from '@slack/bolt';

/** The fields of a message read back from Slack that Paperboy looks at. */
export interface ReadMessage {
  ts?: string;
  text?: string;
  blocks?: unknown[];
  metadata?: unknown;
}

/** Messages per conversations.replies page: a digest thread holds at most a few dozen papers. */
const REPLIES_PAGE = 200;

/**
 * The thread that `ts` belongs to (its parent, or any reply in it), page by page, parent
 * first, with message metadata; stops early when `done` says so. conversations.history holds
 * no thread replies: this is how a reply is found again. Throws what the WebClient threw.
 */
export async function readThread(client: webApi.WebClient, channel: string, ts: string, done: (page: ReadMessage[]) => boolean = () => false): Promise<void> {
  let cursor: string | undefined;
  do {
    const res = await client.conversations.replies({ channel, ts, limit: REPLIES_PAGE, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
    if (done((res.messages ?? []) as ReadMessage[])) return;
    cursor = res.has_more ? res.response_metadata?.next_cursor || undefined : undefined;
  } while (cursor);
}

/** One message, in the channel or in a thread, or null when Slack no longer has it. */
export async function readMessage(client: webApi.WebClient, channel: string, ts: string): Promise<ReadMessage | null> {
  let found: ReadMessage | null = null;
  await readThread(client, channel, ts, (page) => (found = page.find((m) => m.ts === ts) ?? null) !== null);
  return found;
}
