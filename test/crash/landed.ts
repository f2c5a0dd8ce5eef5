import { parseActionId } from '../../src/commands/card-actions.ts';
import { headerKeyOf } from '../../adapters/discord/render.ts';
import { DELIVERY_EVENT_TYPE } from '../../adapters/slack/poster.ts';
import type { FakeDiscord } from '../support/fake-discord/index.ts';
import type { FakeSlack } from '../support/fake-slack/index.ts';

/**
 * What reached a channel on a fake platform, sorted by what it is: digest headers, papers (by
 * the paper id on their Upvote button, whatever key they were posted with) and anything else.
 */
export interface Landed {
  headers: string[];
  papers: Array<{ paperId: string; messageId: string }>;
  others: string[];
}

export function landedOnDiscord(fake: FakeDiscord, channelId: string): Landed {
  const out: Landed = { headers: [], papers: [], others: [] };
  for (const m of fake.channelMessages(channelId)) {
    // Interaction replies (a /papers show card) are answers, not posts: digests never go by webhook.
    if (m.deleted || m.webhook_id) continue;
    const customIds: string[] = m.components.flatMap((row: { components?: Array<{ custom_id?: string }> }) => (row.components ?? []).flatMap((c) => (c.custom_id ? [c.custom_id] : [])));
    const paperId = customIds.map(parseActionId).find((a) => a?.kind === 'vote')?.paperId;
    if (paperId) out.papers.push({ paperId, messageId: m.id });
    else if (headerKeyOf(m)?.startsWith('h')) out.headers.push(m.id);
    else out.others.push(m.content);
  }
  return out;
}

export function landedOnSlack(fake: FakeSlack, channelId: string): Landed {
  const out: Landed = { headers: [], papers: [], others: [] };
  for (const m of fake.channel(channelId)) {
    const vote = /"action_id":"(pb:vote:[^"]+)"/.exec(JSON.stringify(m.blocks ?? []));
    const paperId = vote ? parseActionId(vote[1]!)?.paperId : undefined;
    const isHeader = m.metadata?.event_type === DELIVERY_EVENT_TYPE && String(m.metadata.event_payload.key).startsWith('h');
    if (paperId) out.papers.push({ paperId, messageId: m.ts });
    else if (isHeader) out.headers.push(m.ts);
    else out.others.push(m.text);
  }
  return out;
}

/**
 * How a channel's messages differ from "one header and each expected paper exactly once";
 * empty when they don't.
 */
export function digestProblems(where: string, landed: Landed, expectedPapers: readonly string[]): string[] {
  const problems: string[] = [];
  if (landed.headers.length !== 1) problems.push(`${where}: ${landed.headers.length} headers`);
  const counts = new Map<string, number>();
  for (const p of landed.papers) counts.set(p.paperId, (counts.get(p.paperId) ?? 0) + 1);
  for (const [paperId, n] of counts) if (n > 1) problems.push(`${where}: paper ${paperId} posted ${n} times`);
  for (const paperId of expectedPapers) if (!counts.has(paperId)) problems.push(`${where}: paper ${paperId} missing`);
  for (const paperId of counts.keys()) if (!expectedPapers.includes(paperId)) problems.push(`${where}: paper ${paperId} was not in the digest`);
  for (const other of landed.others) problems.push(`${where}: unexpected message ${JSON.stringify(other.slice(0, 80))}`);
  return problems;
}
