import type { Clock } from '../domain/clock.ts';
import type { ChannelLimits } from '../domain/limits.ts';
import type { UserErrorCode } from '../domain/errors.ts';
import type { Paper } from '../domain/paper.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';

/**
 * A /papers subcommand, declared once as data. Discord's registration JSON, the Slack and
 * console text parser, the Slack manifest and /papers help are all generated from it.
 */
export interface CommandSpec<O extends readonly OptionSpec[] = readonly OptionSpec[]> {
  name: string;
  description: string;
  options: O;
  /** Who may run it. `manager` means whoever may change the channel's settings on that platform. */
  access: Access;
  /** For commands whose manager-only part depends on the options (e.g. `digest post`). */
  managerWhen?(options: OptionValues<O>): boolean;
  /** Shown in /papers help. */
  examples?: readonly string[];
  handler(ctx: CommandContext<OptionValues<O>>): Promise<Reply>;
}

export type Access = 'member' | 'manager';

interface BaseOption {
  name: string;
  description: string;
  required?: boolean;
}

export interface StringOption extends BaseOption {
  type: 'string';
  minLength?: number;
  maxLength?: number;
  /** Where suggestions come from while typing (Discord autocomplete). */
  autocomplete?: 'paper' | 'topic' | 'timezone';
  /**
   * In text form (Slack, console), this option takes the rest of the line. `raw` keeps
   * quotes as typed, for values that have their own syntax (search queries, topics).
   */
  rest?: 'raw' | 'text';
}

export interface IntegerOption extends BaseOption {
  type: 'integer';
  min?: number;
  max?: number;
}

export interface ChoiceOption extends BaseOption {
  type: 'choice';
  choices: readonly string[];
}

export type OptionSpec = StringOption | IntegerOption | ChoiceOption;

type ValueOf<O extends OptionSpec> = O extends IntegerOption ? number : O extends ChoiceOption ? O['choices'][number] : string;

export type OptionValues<O extends readonly OptionSpec[]> = {
  [K in O[number] as K['name']]: K['required'] extends true ? ValueOf<K> : ValueOf<K> | undefined;
};

/** Declares a command with its option types inferred from the declaration. */
export function defineCommand<const O extends readonly OptionSpec[]>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** What a handler gets: never a platform object. */
export interface CommandContext<V = Record<string, unknown>> {
  options: V;
  team: { id: number; platform: string; externalId: string };
  channel: { id: number; externalId: string; name: string | null };
  user: { id: string; name: string | null; isManager: boolean };
  clock: Clock;
  store: Store;
  logger: Logger;
  services: CommandServices;
}

/** What a handler may ask of the running bot beyond the store. */
export interface CommandServices {
  /** Posts the channel's digest now (manager's `/papers digest post`). */
  postDigestNow(channelId: number): Promise<DigestPostResult>;
  /** The commands, for help. */
  commands(): readonly CommandSpec[];
  /** The public URL of a channel's Atom feed (PAPERBOY_PUBLIC_URL); without it, replies give the path. */
  feedUrl?(token: string): string;
  /** Fair-use limits per channel (PAPERBOY_MAX_TOPICS); DEFAULT_CHANNEL_LIMITS when unset. */
  limits?: ChannelLimits;
}

export interface DigestPostResult {
  posted: number;
  /** Set when nothing could be posted, in words for the person who asked. */
  note?: string;
}

/** A platform-neutral reply. Adapters render it natively; the console prints it. */
export interface Reply {
  /** A short heading, rendered bold where the platform can. */
  title?: string;
  /** Plain text; `code spans` are the only markup. Paper text and user input never go here unescaped. */
  text: string;
  cards?: PaperCard[];
  /** Only the person who asked sees it (where the platform allows). */
  ephemeral: boolean;
  /** A file to hand over (the reading-list export). */
  file?: ReplyFile;
  /** Figures in a fixed-width table (the recap's), shown as a code block; cells are plain text. */
  table?: string;
  /** A picture (the recap's chart, PNG), attached where the platform can; the table stands in for it elsewhere. */
  image?: ReplyImage;
  /** Set on failure replies: what went wrong, for adapters and the CLI's exit code. */
  error?: { kind: 'user'; code: UserErrorCode } | { kind: 'internal'; ref: string };
}

export interface ReplyImage {
  name: string;
  png: Buffer;
  width: number;
  height: number;
  /** What it shows, in words. */
  alt: string;
}

export interface ReplyFile {
  name: string;
  content: string;
  contentType: string;
  /**
   * The file's records, each whole (a BibTeX entry, an RIS record, a CSL-JSON item), for a
   * platform that shows the file inline and may only have room for some (Slack). For JSON, a
   * run of them wrapped in `[ ]` is itself a valid file.
   */
  entries?: readonly string[];
}

/** A paper as shown in a chat, with what this team did with it. */
export interface PaperCard {
  paper: Paper;
  teamVotes: number;
  saves: number;
  /** Whether the person who asked has voted / saved it (null when not about one person, e.g. a digest). */
  voted: boolean | null;
  saved: boolean | null;
  /** Why it is shown, e.g. "topic: diffusion"; or the saver's note. */
  note?: string | null;
}

export type CardAction =
  | { kind: 'vote'; paperId: string; count: number; active: boolean | null }
  | { kind: 'save'; paperId: string; active: boolean | null }
  | { kind: 'open'; label: string; url: string };
