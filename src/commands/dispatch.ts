import type { Clock } from '../domain/clock.ts';
import { errorRef, isUserError, UserError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { OpsEvents } from '../ops/events.ts';
import type { ChannelKey, TeamKey } from '../store/teams.ts';
import type { Store } from '../store/store.ts';
import { resolveOptions, type RawOptions } from './options.ts';
import type { CommandServices, CommandSpec, Reply } from './types.ts';

/** One command as an adapter received it, already mapped out of the platform's shapes. */
export interface Invocation {
  command: string;
  options: RawOptions;
  team: TeamKey;
  channel: ChannelKey;
  user: {
    id: string;
    name?: string | null;
    /** Asked only when the command needs it (on Slack it costs a users.info call). */
    isManager: () => Promise<boolean> | boolean;
  };
  /** How this platform names the right a manager needs, for the refusal message. */
  managerRequirement: string;
}

export interface Runtime {
  store: Store;
  clock: Clock;
  logger: Logger;
  services: CommandServices;
  commands: readonly CommandSpec[];
  /** Told how long each command took (metrics). */
  events?: OpsEvents;
  /** False once the bot is shutting down: commands then get a polite "try again" instead of running. */
  accepting?: () => boolean;
}

/** The reply to a command that arrives while the bot is stopping. */
const SHUTTING_DOWN = "I'm restarting right now, so I can't run that. Please try again in a minute.";

/**
 * Runs one command: validates options, checks who may run it, calls the handler, and turns
 * every failure into a reply. A UserError is shown as is (ephemeral); anything else is
 * logged with a reference the person can quote.
 */
export async function runCommand(inv: Invocation, rt: Runtime): Promise<Reply> {
  const started = performance.now();
  try {
    return await runCommandUntimed(inv, rt);
  } finally {
    // Only declared names become metric labels: typed-in nonsense must not grow the series without bound.
    const label = rt.commands.some((c) => c.name === inv.command) ? inv.command : 'unknown';
    rt.events?.commandFinished(label, (performance.now() - started) / 1000);
  }
}

async function runCommandUntimed(inv: Invocation, rt: Runtime): Promise<Reply> {
  const log = rt.logger.child({ command: inv.command, team: `${inv.team.platform}:${inv.team.externalId}`, channel: inv.channel.externalId, user: inv.user.id });
  try {
    if (rt.accepting && !rt.accepting()) throw new UserError('shutting_down', SHUTTING_DOWN);
    const spec = rt.commands.find((c) => c.name === inv.command);
    if (!spec) throw new UserError('unknown_command', `I don't know \`/papers ${inv.command}\`. Try \`/papers help\`.`);
    const options = resolveOptions(spec, inv.options);
    const needsManager = spec.access === 'manager' || (spec.managerWhen?.(options as never) ?? false);
    const isManager = needsManager ? await inv.user.isManager() : false;
    if (needsManager && !isManager) {
      throw new UserError('forbidden', `Sorry, \`/papers ${spec.name}\` changes this channel for everyone, so it needs ${inv.managerRequirement}.`);
    }
    const now = rt.clock.now();
    const team = await rt.store.teams.ensureTeam(inv.team, now);
    const channel = await rt.store.teams.ensureChannel(team.id, inv.channel, now);
    return await spec.handler({
      options,
      team: { id: team.id, platform: team.platform, externalId: team.external_id },
      channel: { id: channel.id, externalId: channel.external_id, name: channel.name },
      user: { id: inv.user.id, name: inv.user.name ?? null, isManager },
      clock: rt.clock,
      store: rt.store,
      logger: log,
      services: rt.services,
    });
  } catch (e) {
    return errorReply(e, log);
  }
}

/** The reply for a failure: the UserError's own words, or a reference to the logged error. */
export function errorReply(e: unknown, log: Logger): Reply {
  if (isUserError(e)) return { text: e.message, ephemeral: true, error: { kind: 'user', code: e.code } };
  const ref = errorRef();
  log.error('command failed', { ref, err: e });
  return {
    text: `Sorry, something went wrong on my side (ref ${ref}). Please try again; if it keeps happening, quote that ref to whoever runs this bot.`,
    ephemeral: true,
    error: { kind: 'internal', ref },
  };
}
