import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { ArxivClient } from '../sources/arxiv.ts';
import { HfClient } from '../sources/hf.ts';
import type { PolledSource } from './poller.ts';

/** The sources the poller keeps fresh: HF Daily Papers always, arXiv when categories are configured. `signal` cancels their requests at shutdown. */
export function polledSources(config: Config['sources'], logger: Logger, signal?: AbortSignal): PolledSource[] {
  const hf = new HfClient({ baseUrl: config.hfBaseUrl, timeoutMs: config.timeoutMs, logger, signal });
  const sources: PolledSource[] = [{ name: 'hf', fetchDay: (day) => hf.fetchDay(day) }];
  if (config.arxivCategories.length > 0) {
    const arxiv = new ArxivClient({ baseUrl: config.arxivBaseUrl, timeoutMs: config.timeoutMs, logger, signal });
    sources.push({ name: 'arxiv', fetchDay: (day) => arxiv.fetchDay(day, config.arxivCategories) });
  }
  return sources;
}
