import { isUserError } from '../domain/errors.ts';
import { parseSearchQuery } from '../search/query.ts';
import { searchPapers } from '../search/search-papers.ts';
import { openStore } from '../store/store.ts';
import { cliConfig } from './env.ts';
import type { CliCommand } from './main.ts';
import { EXIT, UsageError } from './usage.ts';

export const searchCli: CliCommand = {
  usage: 'paperboy search "QUERY" [--limit N] [--json] [--db PATH]',
  options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run(args) {
    const text = args.positionals.join(' ');
    if (!text.trim()) throw new UsageError('give a query, e.g. paperboy search "delta rule"');
    const limit = args.values.limit === undefined ? 10 : Number(args.values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500');
    try {
      parseSearchQuery(text);
    } catch (e) {
      if (isUserError(e)) throw new UsageError(e.message.replace(/`\/papers search ([^`]*)`/, 'paperboy search "$1"'));
      throw e;
    }
    const config = cliConfig(args);
    const store = await openStore(config.dbPath, { pgPool: config.pgPool });
    try {
      const { page, query, corrections, typed } = await searchPapers(store, text, { limit, offset: 0 });
      const papers = await store.papers.getMany(page.ids);
      // On stderr, so that --json output stays one JSON document.
      if (corrections.length > 0) process.stderr.write(`showing results for ${query.text} (typed: ${typed})\n`);
      if (args.values.json) {
        const rows = papers.map((p) => ({ id: p.id, title: p.title, authors: p.authors, publishedAt: p.publishedAt, upvotes: p.upvotes, url: p.links.arxiv }));
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else if (papers.length === 0) {
        process.stdout.write(`no papers match ${query.text}\n`);
      } else {
        process.stdout.write(papers.map((p, i) => `${String(i + 1).padStart(3)}. ${p.id}  ${p.title}`).join('\n') + '\n');
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
