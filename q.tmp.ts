import { parseSearchQuery } from './src/search/query.ts';
import { queryText } from './src/store/postgres/search-doc.ts';
for (const t of process.argv.slice(2)) { const q = parseSearchQuery(t); console.log(queryText(q.must, q.not)); }
