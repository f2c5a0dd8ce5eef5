import type { CommandSpec } from '../src/commands/types.ts';
import { search } from './search.ts';

/** Every /papers subcommand, in the order help lists them. Explicit: no directory scanning. */
export const commands: readonly CommandSpec[] = [search as unknown as CommandSpec];
