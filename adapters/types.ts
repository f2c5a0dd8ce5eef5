import type { Runtime } from '../src/commands/dispatch.ts';
import type { ChatPoster } from '../src/delivery/port.ts';
import type { Logger } from '../src/logger.ts';

/** A platform connection the start command runs; the delivery layer posts through `poster`. */
export interface PlatformAdapter {
  readonly platform: 'discord' | 'slack' | 'console';
  readonly poster: ChatPoster;
  /** For /healthz: whether the platform connection is up now. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** What every adapter is started with: the core runtime and its own typed settings. */
export interface AdapterDeps<Settings> {
  settings: Settings;
  runtime: Runtime;
  logger: Logger;
}
