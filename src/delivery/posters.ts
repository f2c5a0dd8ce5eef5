import type { ChatPoster } from './port.ts';

/** Chat posters by platform name; adapters register theirs when they start. */
export class Posters {
  private readonly byPlatform = new Map<string, ChatPoster>();

  register(poster: ChatPoster): void {
    this.byPlatform.set(poster.platform, poster);
  }

  /** The platform's poster; given the team (its platform id), the one posting as that team where teams have their own credentials. */
  get(platform: string, teamExternalId?: string): ChatPoster | undefined {
    const poster = this.byPlatform.get(platform);
    return teamExternalId !== undefined && poster?.forTeam ? poster.forTeam(teamExternalId) : poster;
  }

  /** The platforms whose poster can send direct messages. */
  directPlatforms(): string[] {
    return [...this.byPlatform.values()].filter((p) => p.postDirect !== undefined).map((p) => p.platform);
  }
}
