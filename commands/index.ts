import type { CommandSpec } from '../src/commands/types.ts';
import { digest } from './digest.ts';
import { exportCommand } from './export.ts';
import { feed } from './feed.ts';
import { help } from './help.ts';
import { pause } from './pause.ts';
import { recap } from './recap.ts';
import { recommend } from './recommend.ts';
import { resume } from './resume.ts';
import { save } from './save.ts';
import { saved } from './saved.ts';
import { schedule } from './schedule.ts';
import { search } from './search.ts';
import { show } from './show.ts';
import { similar } from './similar.ts';
import { status } from './status.ts';
import { subscribe } from './subscribe.ts';
import { today } from './today.ts';
import { top } from './top.ts';
import { topics } from './topics.ts';
import { unsave } from './unsave.ts';
import { unsubscribe } from './unsubscribe.ts';
import { vote } from './vote.ts';
import { why } from './why.ts';

/** Every /papers subcommand, in the order help lists them. Explicit: no directory scanning. */
export const commands: readonly CommandSpec[] = [
  today,
  search,
  top,
  show,
  similar,
  recommend,
  vote,
  save,
  unsave,
  saved,
  exportCommand,
  subscribe,
  unsubscribe,
  topics,
  schedule,
  pause,
  resume,
  digest,
  recap,
  feed,
  status,
  why,
  help,
];
