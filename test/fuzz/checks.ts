import { DISCORD_LIMITS as D } from '../../adapters/discord/limits.ts';
import { embedLength, type DiscordMessage } from '../../adapters/discord/render.ts';
import { limitViolations, type SlackMessage } from '../../adapters/slack/render.ts';
import type { Reply } from '../../src/commands/types.ts';
import { isUserError } from '../../src/domain/errors.ts';
import { wellFormed } from './arbitraries.ts';

/*
 * What the fuzz properties hold every output to. Each check returns the problems it found
 * (empty when none), so a failure names what broke rather than only that something did.
 */

/** A UserError's message is meant for a person: short, never empty, never half an emoji. */
const MAX_MESSAGE = 600;

/**
 * Runs `f`; a value passes, a UserError passes when its message is clear, anything else is a
 * failure (thrown, so fast-check shrinks it). `input` tells whether echoing a lone surrogate
 * is the input's own fault.
 */
export function valueOrUserError<T>(input: string, f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (!isUserError(e)) throw new Error(`not a UserError: ${String(e)}`, { cause: e });
    assertClearMessage(e.message, input);
    return null;
  }
}

export async function valueOrUserErrorAsync<T>(input: string, f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (e) {
    if (!isUserError(e)) throw new Error(`not a UserError: ${String(e)}`, { cause: e });
    assertClearMessage(e.message, input);
    return null;
  }
}

export function assertClearMessage(message: string, input: string): void {
  if (!message.trim()) throw new Error('empty error message');
  if (message.length > MAX_MESSAGE) throw new Error(`error message of ${message.length} characters: ${message.slice(0, 120)}…`);
  if (wellFormed(input) && !wellFormed(message)) throw new Error(`error message cuts a surrogate pair: ${JSON.stringify(message)}`);
}

/** A command's reply: never an internal error; a user error reads clearly. */
export function assertReplyOk(reply: Reply, input: string): void {
  if (reply.error?.kind === 'internal') throw new Error(`internal error (ref ${reply.error.ref}): ${reply.text}`);
  if (reply.error?.kind === 'user') assertClearMessage(reply.text, input);
  if (!reply.text && !reply.cards?.length && !reply.file) throw new Error('empty reply');
}

/** Every string anywhere in `value` that holds a lone surrogate, by path. */
export function brokenStrings(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return wellFormed(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => brokenStrings(v, `${path}[${i}]`));
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) return Object.entries(value).flatMap(([k, v]) => brokenStrings(v, `${path}.${k}`));
  return [];
}

/** Everything in a Discord message that Discord would refuse (50035 Invalid Form Body). */
export function discordViolations(m: DiscordMessage, inputWellFormed: boolean): string[] {
  const p: string[] = [];
  const over = (what: string, n: number, max: number) => n > max && p.push(`${what}: ${n} > ${max}`);
  if (m.content !== undefined) {
    over('content', m.content.length, D.content);
    if (m.content.length === 0) p.push('empty content');
  }
  if (m.content === undefined && m.embeds.length === 0 && !m.file) p.push('nothing to send');
  over('embeds', m.embeds.length, D.embedsPerMessage);
  over('embed total', m.embeds.reduce((n, e) => n + embedLength(e), 0), D.embedTotalPerMessage);
  m.embeds.forEach((e, i) => {
    over(`embed ${i} title`, e.title?.length ?? 0, D.embedTitle);
    over(`embed ${i} description`, e.description?.length ?? 0, D.embedDescription);
    over(`embed ${i} footer`, e.footer?.text.length ?? 0, D.footerText);
    over(`embed ${i} fields`, e.fields?.length ?? 0, D.embedFields);
    if (e.title === '' || e.description === '') p.push(`embed ${i}: empty title or description`);
    if (!e.title && !e.description && !e.fields?.length) p.push(`embed ${i}: empty embed`);
    for (const f of e.fields ?? []) {
      over(`embed ${i} field name`, f.name.length, D.fieldName);
      over(`embed ${i} field value`, f.value.length, D.fieldValue);
      if (!f.name.trim() || !f.value.trim()) p.push(`embed ${i}: blank field`);
    }
  });
  over('rows', m.components.length, D.rowsPerMessage);
  m.components.forEach((r, i) => {
    over(`row ${i} buttons`, r.components.length, D.buttonsPerRow);
    if (r.components.length === 0) p.push(`row ${i}: empty action row`);
    for (const b of r.components) {
      over(`row ${i} label`, 'label' in b ? (b.label?.length ?? 0) : 0, D.buttonLabel);
      if ('custom_id' in b) over(`row ${i} custom_id`, b.custom_id.length, D.customId);
      if ('url' in b && !/^https?:\/\//.test(b.url)) p.push(`row ${i}: button url ${b.url.slice(0, 60)}`);
    }
  });
  if (inputWellFormed) p.push(...brokenStrings({ content: m.content, embeds: m.embeds, components: m.components }).map((s) => `lone surrogate at ${s}`));
  return p;
}

/** Everything in a Slack message that Slack would refuse, or that cuts a character in half. */
export function slackViolations(m: SlackMessage, inputWellFormed: boolean): string[] {
  const p = limitViolations(m);
  m.blocks.forEach((b, i) => {
    if ((b.type === 'section' || b.type === 'header') && b.text && b.text.text.length === 0) p.push(`block ${i}: empty ${b.type} text`);
  });
  if (inputWellFormed) p.push(...brokenStrings(m).map((s) => `lone surrogate at ${s}`));
  return p;
}
