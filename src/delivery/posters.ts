import type { ChatPoster } from './port.ts';

/** Chat posters by platform name; adapters register theirs when they start. */
export class Posters {
  private readonly byPlatform = new Map<string, ChatPoster>();

  register(poster: ChatPoster): void {
    this.byPlatform.set(poster.platform, poster);
  }

  get(platform: string): ChatPoster | undefined {
    return this.byPlatform.get(platform);
  }

  /** The platforms whose poster can send direct messages. */
  directPlatforms(): string[] {
    return [...this.byPlatform.values()].filter((p) => p.postDirect !== undefined).map((p) => p.platform);
  }
}
