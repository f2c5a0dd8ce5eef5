import { DEFAULT_ARXIV_RSS_URL, type Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { ArxivRssClient } from '../sources/arxiv-rss.ts';
import { HfClient } from '../sources/hf.ts';
import type { PolledSource } from './poller.ts';

/**
 * The sources the poller keeps fresh: HF Daily Papers always, and, when categories are
 * configured, arXiv's daily announcements of them (RSS: exactly what was announced, cross-lists
 * once, replacements not re-listed). The arXiv API serves only backfills by date (`ingest --from`).
 * `signal` cancels their requests at shutdown.
 */
export function polledSources(config: Config['sources'], logger: Logger, signal?: AbortSignal): PolledSource[] {
  const hf = new HfClient({ baseUrl: config.hfBaseUrl, timeoutMs: config.timeoutMs, logger, signal });
  const sources: PolledSource[] = [{ name: 'hf', fetchDay: (day) => hf.fetchDay(day) }];
  if (config.arxivCategories.length > 0) {
    const rss = new ArxivRssClient({ baseUrl: config.arxivRssUrl ?? DEFAULT_ARXIV_RSS_URL, timeoutMs: config.timeoutMs, logger, signal });
    sources.push({ name: 'arxiv', fetchLatest: () => rss.fetchLatest(config.arxivCategories) });
  }
  return sources;
}
