import type { Invocation } from '../../src/commands/dispatch.ts';

/** Who the person at the terminal is: a user of a team's channel, chosen by CLI flags. */
export interface ConsoleIdentity {
  team: string;
  channel: string;
  user: string;
  /** In your own terminal you manage your own channel, unless you ask to be a member. */
  manager: boolean;
}

export const DEFAULT_IDENTITY: ConsoleIdentity = { team: 'local', channel: 'general', user: 'me', manager: true };

export function invocationFor(id: ConsoleIdentity, command: string, options: Invocation['options']): Invocation {
  return {
    command,
    options,
    team: { platform: 'console', externalId: id.team, name: id.team },
    channel: { externalId: id.channel, name: id.channel },
    user: { id: id.user, name: id.user, isManager: () => id.manager },
    managerRequirement: 'the manager role (run the console without --member)',
  };
}
