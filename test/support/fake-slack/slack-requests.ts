import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Requests as Slack sends them to an app: recorded payloads from test/fixtures/slack, changed
 * only where a scenario needs it, signed with Slack's v0 scheme
 * (`v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`)).
 */

const FIXTURES = new URL('../../fixtures/slack/', import.meta.url);

export function slackFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function slackJsonFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(slackFixture(name)) as T;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
}

export interface SendOptions {
  /** Seconds since the epoch the request claims (default: now). */
  timestamp?: number;
  /** Sign with another secret (an attacker's guess). */
  secret?: string;
  /** Change the body after signing it. */
  tamper?: (body: string) => string;
  /** Extra headers, e.g. X-Slack-Retry-Num. */
  headers?: Record<string, string>;
}

export interface SlackHttpResult {
  status: number;
  body: string;
}

/** Sends signed requests to an app's Slack endpoint. */
export class SlackSender {
  constructor(
    readonly url: string,
    readonly secret: string,
  ) {}

  async send(body: string, contentType: string, opts: SendOptions = {}): Promise<SlackHttpResult> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = slackSignature(opts.secret ?? this.secret, timestamp, body);
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
        ...opts.headers,
      },
      body: opts.tamper ? opts.tamper(body) : body,
    });
    return { status: res.status, body: await res.text() };
  }

  slashCommand(fields: SlashFields, opts?: SendOptions): Promise<SlackHttpResult> {
    return this.send(slashCommandBody(fields), 'application/x-www-form-urlencoded', opts);
  }

  blockActions(payload: Record<string, unknown>, opts?: SendOptions): Promise<SlackHttpResult> {
    return this.send(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', opts);
  }

  event(envelope: Record<string, unknown>, opts?: SendOptions): Promise<SlackHttpResult> {
    return this.send(JSON.stringify(envelope), 'application/json', opts);
  }
}

export interface SlashFields {
  text: string;
  response_url: string;
  command?: string;
  team_id?: string;
  team_domain?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
}

/** The recorded slash-command body (bolt-python's), with the scenario's fields swapped in. */
export function slashCommandBody(fields: SlashFields): string {
  const params = new URLSearchParams(slackFixture('slash_command.form-urlencoded.txt').trim());
  params.set('command', '/papers');
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.set(k, v);
  return params.toString();
}

export interface ButtonClick {
  actionId: string;
  value?: string;
  responseUrl: string;
  userId?: string;
  teamId?: string;
  channelId?: string;
  /** The clicked message (its blocks), as Slack includes it for messages in a channel. */
  message?: { ts: string; text: string; blocks: unknown[] };
  ephemeral?: boolean;
}

/** The recorded block_actions payload, turned into a click on one of Paperboy's buttons. */
export function blockActionsPayload(click: ButtonClick): Record<string, unknown> {
  const p = slackJsonFixture<Record<string, any>>('interactivity_block_actions_button.json');
  const teamId = click.teamId ?? p.team.id;
  const channelId = click.channelId ?? p.channel.id;
  p.user = { ...p.user, id: click.userId ?? p.user.id, team_id: teamId };
  p.team = { ...p.team, id: teamId };
  p.channel = { ...p.channel, id: channelId };
  p.container = { ...p.container, channel_id: channelId, message_ts: click.message?.ts ?? p.container.message_ts, is_ephemeral: click.ephemeral ?? false };
  p.response_url = click.responseUrl;
  p.actions = [{ ...p.actions[0], action_id: click.actionId, block_id: 'b', value: click.value ?? '', text: { type: 'plain_text', text: 'Button', emoji: true } }];
  if (click.message) p.message = { type: 'message', user: 'UBOT', ...click.message };
  return p;
}

export interface ReactionFields {
  type?: 'reaction_added' | 'reaction_removed';
  eventId: string;
  user: string;
  reaction: string;
  channel: string;
  ts: string;
  eventTs?: string;
  teamId?: string;
}

/** Slack's documented reaction_added envelope, for this reaction. */
export function reactionEnvelope(f: ReactionFields): Record<string, unknown> {
  const env = slackJsonFixture<Record<string, any>>('events_api_reaction_added_docs.json');
  const teamId = f.teamId ?? 'T111';
  env.team_id = teamId;
  env.event_id = f.eventId;
  env.authorizations = env.authorizations.map((a: Record<string, unknown>) => ({ ...a, team_id: teamId }));
  env.event = {
    ...env.event,
    type: f.type ?? 'reaction_added',
    user: f.user,
    reaction: f.reaction,
    item: { ...env.event.item, channel: f.channel, ts: f.ts },
    event_ts: f.eventTs ?? env.event.event_ts,
  };
  return env;
}
