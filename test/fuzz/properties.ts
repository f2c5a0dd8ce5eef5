import fc from 'fast-check';
import pg from 'pg';
import { commands } from '../../commands/index.ts';
import { DEFAULT_IDENTITY } from '../../adapters/console/identity.ts';
import { runLine } from '../../adapters/console/run-line.ts';
import { renderOutbound, renderReply as renderDiscord } from '../../adapters/discord/render.ts';
import { renderHeaderMessage, renderNotice, renderPaperMessage, renderReply as renderSlack } from '../../adapters/slack/render.ts';
import { openApp, type App } from '../../src/app.ts';
import { runCommand } from '../../src/commands/dispatch.ts';
import { resolveOptions, type RawOptions } from '../../src/commands/options.ts';
import { parseCommandText } from '../../src/commands/parse-text.ts';
import type { CommandSpec, OptionSpec, PaperCard, Reply } from '../../src/commands/types.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { parseArxivId } from '../../src/domain/paper.ts';
import { parseTimes, parseTimezone, parseWeekdays } from '../../src/schedule/parse.ts';
import { MAX_SCHEDULE_TIMES } from '../../src/domain/limits.ts';
import { silentLogger } from '../../src/logger.ts';
import { parseSearchQuery, QUERY_LIMITS, type SearchQuery } from '../../src/search/query.ts';
import { searchPapers } from '../../src/search/search-papers.ts';
import { parseArxivAtom } from '../../src/sources/arxiv.ts';
import { parseHfDailyPapers } from '../../src/sources/hf.ts';
import type { ParsedItems } from '../../src/sources/parsed.ts';
import { queryText, searchDoc } from '../../src/store/postgres/search-doc.ts';
import { FtsExpressions } from '../../src/store/sqlite/fts-search.ts';
import type { Store } from '../../src/store/store.ts';
import { HAND_MADE, storeWith } from '../search/hand-made-papers.ts';
import { HF_FIXTURE_DAYS, hfDay } from '../support/core-harness.ts';
import { TEST_PG_URL } from '../support/test-store.ts';
import { anyText, hostileText, hugeText, IDS, SYNTAX, WHEN, wellFormed } from './arbitraries.ts';
import { assertReplyOk, brokenStrings, discordViolations, slackViolations, valueOrUserError, valueOrUserErrorAsync } from './checks.ts';
import { cardArb, paperArb, replyArb } from './papers.ts';

/**
 * One fuzz property: what it checks, its share of the cases, and how to run it. `check` sets up
 * what the property needs (a store, a server connection), runs `cases` cases and tears down.
 */
export interface FuzzProperty {
  name: string;
  /** Relative share of the total case count: cheap pure properties take more. */
  weight: number;
  check(cases: number, seed: number): Promise<FuzzResult>;
}

export interface FuzzResult {
  cases: number;
  /** fast-check's report of the shrunk counterexample, or null. */
  failure: string | null;
  /** Why the property did not run (e.g. no PostgreSQL server). */
  skipped?: string;
}

async function runProperty<Ts>(prop: fc.IRawProperty<Ts>, cases: number, seed: number): Promise<FuzzResult> {
  const details = await fc.check(prop, { numRuns: cases, seed });
  if (!details.failed) return { cases: details.numRuns, failure: null };
  const error = details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance);
  const example = JSON.stringify(details.counterexample, (_, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}… (${v.length} chars)` : v));
  return {
    cases: details.numRuns,
    failure: `after ${details.numRuns} cases (seed ${details.seed}, path ${details.counterexamplePath}, shrunk ${details.numShrinks} times)\ncounterexample: ${example}\nerror: ${error.split('\n').slice(0, 6).join('\n')}`,
  };
}

// ---------------------------------------------------------------------------------------
// Commands: the text parser (Slack, console) and the option resolver (Discord's typed values)

const OPTION_NAMES = [...new Set(commands.flatMap((c) => c.options.map((o) => o.name)))];
const COMMAND_WORDS = commands.map((c) => c.name);

/** A value for an option as text: hostile, an id, a time, a zone, a number, or huge. */
const optionText = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.constantFrom(...IDS) },
  { weight: 2, arbitrary: fc.constantFrom(...WHEN) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1', '0', '-1', '1e3', '0x10', '١٢', '9007199254740993', ' 3 ', '+4', '2.5') },
  { weight: 1, arbitrary: hugeText },
);

/** `/papers <word> args…` as typed: a real command name (or a typo of one) and hostile words, some as `name:value`. */
const commandLine = fc
  .tuple(
    fc.constantFrom('/papers ', '', '/PAPERS ', '  /papers\t', '/papersx '),
    fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...COMMAND_WORDS) }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: fc.constantFrom('serch', 'HELP', 'Top', 'todya', '') }),
    fc.array(
      fc.oneof(
        optionText,
        fc.tuple(fc.constantFrom(...OPTION_NAMES, 'foo', 'PAGE', '_'), optionText).map(([k, v]) => `${k}:${v}`),
        fc.tuple(fc.constantFrom(...OPTION_NAMES), optionText).map(([k, v]) => `${k}:"${v}"`),
      ),
      { maxLength: 5 },
    ),
  )
  .map(([prefix, name, args]) => [prefix + name, ...args].join(' '));

/** A value as Discord may hand it for `opt` (and some it never should). */
function discordValue(opt: OptionSpec): fc.Arbitrary<string | number | boolean> {
  const wild = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -0, 2 ** 53, 1.5), fc.boolean(), optionText);
  switch (opt.type) {
    case 'integer':
      return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: (opt.min ?? -1000) - 5, max: (opt.max ?? 1000) + 5 }) }, { weight: 1, arbitrary: wild });
    case 'choice':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...opt.choices) }, { weight: 1, arbitrary: wild });
    case 'string':
      return fc.oneof({ weight: 4, arbitrary: optionText }, { weight: 1, arbitrary: wild });
  }
}

/** A subcommand and the options Discord would send with it (sometimes an option it does not declare). */
const discordInvocation: fc.Arbitrary<{ spec: CommandSpec; options: RawOptions }> = fc.constantFrom(...commands).chain((spec) =>
  fc
    .tuple(
      fc.record(Object.fromEntries(spec.options.map((o) => [o.name, discordValue(o)])) as Record<string, fc.Arbitrary<string | number | boolean>>, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('foo', 'query', 'page', '__proto__', 'constructor'), optionText), { freq: 8 }),
    )
    .map(([options, extra]) => ({ spec, options: extra && !(extra[0] in options) ? { ...options, [extra[0]]: extra[1] } : (options as RawOptions) })),
);

/** Options a resolver hands a handler must respect the declaration. */
function checkResolved(spec: CommandSpec, out: Record<string, string | number | undefined>): void {
  for (const o of spec.options) {
    const v = out[o.name];
    if (v === undefined) {
      if (o.required) throw new Error(`required ${o.name} missing`);
      continue;
    }
    if (o.type === 'integer' && (!Number.isSafeInteger(v) || (o.min !== undefined && (v as number) < o.min) || (o.max !== undefined && (v as number) > o.max))) {
      throw new Error(`${o.name} = ${v} outside its declaration`);
    }
    if (o.type === 'choice' && !o.choices.includes(v as string)) throw new Error(`${o.name} = ${v} not a choice`);
    if (o.type === 'string' && (typeof v !== 'string' || (o.maxLength !== undefined && v.length > o.maxLength))) throw new Error(`${o.name} too long`);
  }
}

const textParser: FuzzProperty = {
  name: 'command text parser + options',
  weight: 14,
  check: (cases, seed) =>
    runProperty(
      fc.property(commandLine, (line) => {
        const parsed = valueOrUserError(line, () => parseCommandText(line, commands));
        if (!parsed) return;
        const spec = commands.find((c) => c.name === parsed.command);
        if (!spec) throw new Error(`parsed to unknown command ${parsed.command}`);
        const out = valueOrUserError(line, () => resolveOptions(spec, parsed.options));
        if (out) checkResolved(spec, out);
      }),
      cases,
      seed,
    ),
};

const discordOptions: FuzzProperty = {
  name: 'Discord option resolver',
  weight: 14,
  check: (cases, seed) =>
    runProperty(
      fc.property(discordInvocation, ({ spec, options }) => {
        const input = Object.values(options).map(String).join(' ');
        const out = valueOrUserError(input, () => resolveOptions(spec, options));
        if (out) checkResolved(spec, out);
      }),
      cases,
      seed,
    ),
};

/** A real core (in-memory SQLite, the recorded HF days, the real commands and engine), as the console adapter and tests use it. */
async function openFuzzApp(): Promise<App> {
  const clock = fixedClock('2026-08-21T12:00:00Z');
  const app = await openApp({ dbPath: ':memory:', clock, logger: silentLogger, commands });
  for (const day of HF_FIXTURE_DAYS) await app.store.papers.upsertMany(hfDay(day).items, clock.now());
  return app;
}

/** A reply also has to render on both platforms within their limits. */
function checkRendered(reply: Reply, input: string): void {
  assertReplyOk(reply, input);
  const ok = wellFormed(input);
  const d = discordViolations(renderDiscord(reply), ok);
  if (d.length > 0) throw new Error(`Discord render: ${d.join('; ')}`);
  const s = slackViolations(renderSlack(reply), ok);
  if (s.length > 0) throw new Error(`Slack render: ${s.join('; ')}`);
}

function endToEnd(name: string, weight: number, arb: fc.Arbitrary<{ input: string; run: (app: App) => Promise<Reply> }>): FuzzProperty {
  return {
    name,
    weight,
    async check(cases, seed) {
      const app = await openFuzzApp();
      try {
        return await runProperty(
          fc.asyncProperty(arb, async ({ input, run }) => {
            checkRendered(await run(app), input);
          }),
          cases,
          seed,
        );
      } finally {
        await app.close();
      }
    },
  };
}

const whoArb = fc.record({ manager: fc.boolean(), user: fc.constantFrom('me', 'you', '\u202eevil', '🚀'), channel: fc.constantFrom('general', 'random', '#x') });

const textCommands = endToEnd(
  'commands end to end (text, console/Slack path)',
  4,
  fc.tuple(commandLine, whoArb).map(([line, who]) => ({
    input: line,
    run: (app: App) => runLine(line, { ...DEFAULT_IDENTITY, ...who }, app.runtime),
  })),
);

const discordCommands = endToEnd(
  'commands end to end (Discord options)',
  4,
  fc.tuple(discordInvocation, whoArb).map(([{ spec, options }, who]) => ({
    input: Object.values(options).map(String).join(' '),
    run: (app: App) =>
      runCommand(
        {
          command: spec.name,
          options,
          team: { platform: 'discord', externalId: 'G1' },
          channel: { externalId: who.channel, name: who.channel },
          user: { id: who.user, name: who.user, isManager: () => who.manager },
          managerRequirement: 'the Manage Channels permission',
        },
        app.runtime,
      ),
  })),
);

// ---------------------------------------------------------------------------------------
// Search: the query language, its FTS5 and tsquery translations, and a real store

const queryArb = fc.oneof(
  { weight: 10, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...SYNTAX, 'attention', 'transformer', 'multi-agent', 'vaswani'), { maxLength: 40 }).map((w) => w.join(' ')) },
);

const TOKEN = /^[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*$/u;

/** A parsed query holds only word tokens (nothing a database reads as syntax) and stays within its limits. */
function checkParsed(q: SearchQuery): void {
  const terms = [...q.must.flat(), ...q.not];
  if (q.must.length === 0 || q.must.some((c) => c.length === 0)) throw new Error('empty clause');
  if (terms.length > QUERY_LIMITS.maxTerms) throw new Error(`${terms.length} terms`);
  for (const t of terms) for (const tok of t.tokens) if (!TOKEN.test(tok)) throw new Error(`token ${JSON.stringify(tok)} is not a word`);
}

const searchParser: FuzzProperty = {
  name: 'search query parser + FTS5 translation',
  weight: 14,
  check: (cases, seed) =>
    runProperty(
      fc.property(queryArb, (text) => {
        const q = valueOrUserError(text, () => parseSearchQuery(text));
        if (!q) return;
        checkParsed(q);
        // Every quote in the MATCH text opens or closes one of our phrases: user text is never syntax.
        const match = new FtsExpressions().match(q.must, q.not);
        const outside = match.replace(/"[\p{L}\p{N}\p{Co}\p{M} \u0001]*"/gu, '');
        if (/["'*^:]/.test(outside.replace(/\{(title|authors)\} :/g, ''))) throw new Error(`MATCH text carries syntax: ${match}`);
      }),
      cases,
      seed,
    ),
};

function searchStore(name: string, fts: Parameters<typeof storeWith>[1]): FuzzProperty {
  return {
    name,
    weight: 3,
    async check(cases, seed) {
      const store: Store = await storeWith(HAND_MADE, fts);
      const ids = new Set(HAND_MADE.map((p) => p.id));
      try {
        return await runProperty(
          fc.asyncProperty(queryArb, fc.integer({ min: 1, max: 25 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })), async (text, limit, offset) => {
            const found = await valueOrUserErrorAsync(text, () => searchPapers(store, text, { limit, offset }));
            if (!found) return;
            if (!Array.isArray(found.page.ids) || found.page.ids.length > limit) throw new Error(`page of ${found.page.ids.length}`);
            for (const id of found.page.ids) if (!ids.has(id)) throw new Error(`unknown id ${id}`);
          }),
          cases,
          seed,
        );
      } finally {
        await store.close();
      }
    },
  };
}

const searchSqlite = searchStore('search through an in-memory SQLite store', {});
const searchSqliteTiny = searchStore('search through SQLite, tiny plan limits', {
  fts: { fullRankLimit: 1, window: 2, maxScoredDf: 2, phraseCostFactor: 1, sampleRows: 8, commonWindow: 6, recentPapers: 5, checkBudget: 3 },
});

/** PostgreSQL, if one answers: every tsquery and tsvector text we build must parse. */
const postgresText: FuzzProperty = {
  name: 'PostgreSQL tsquery / tsvector translation',
  weight: 3,
  async check(cases, seed) {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
    } catch (e) {
      return { cases: 0, failure: null, skipped: `no PostgreSQL at ${TEST_PG_URL} (${String(e)})` };
    }
    try {
      return await runProperty(
        fc.asyncProperty(queryArb, paperArb, async (text, paper) => {
          const q = valueOrUserError(text, () => parseSearchQuery(text));
          if (q) await client.query('SELECT $1::tsquery', [queryText(q.must, q.not)]);
          const doc = searchDoc({ title: paper.title, authors_text: paper.authors.join(' '), keywords_text: paper.keywords.join(' '), abstract: paper.abstract });
          // PostgreSQL refuses NUL in text; the store never sees one from a parsed paper's words.
          await client.query('SELECT $1::tsvector', [doc]);
        }),
        cases,
        seed,
      );
    } finally {
      await client.end();
    }
  },
};

// ---------------------------------------------------------------------------------------
// Schedule parser

const scheduleArb = fc.record({
  times: fc.oneof(fc.constantFrom(...WHEN), hostileText, fc.array(fc.constantFrom(...WHEN), { maxLength: 8 }).map((w) => w.join(','))),
  timezone: fc.oneof(fc.constantFrom(...WHEN), hostileText, fc.constantFrom(...Intl.supportedValuesOf('timeZone')), hugeText),
  weekdays: fc.oneof(fc.constantFrom(...WHEN), hostileText, fc.array(fc.constantFrom('mon', 'tue', 'sun', 'fri-mon', 'x', 'monday', '-'), { maxLength: 9 }).map((w) => w.join(','))),
});

function parseSchedule(input: { times: string; timezone: string; weekdays: string }) {
  return { times: parseTimes(input.times), timezone: parseTimezone(input.timezone), weekdays: parseWeekdays(input.weekdays) };
}

const scheduleParser: FuzzProperty = {
  name: 'schedule parser (times, weekdays, time zones)',
  weight: 10,
  check: (cases, seed) =>
    runProperty(
      fc.property(scheduleArb, (input) => {
        const r = valueOrUserError(`${input.times} ${input.timezone} ${input.weekdays}`, () => parseSchedule(input));
        if (!r) return;
        if (r.times.length === 0 || r.times.length > MAX_SCHEDULE_TIMES || r.times.some((t) => !/^([01]\d|2[0-3]):[0-5]\d$/.test(t))) throw new Error(`times ${r.times}`);
        if (!Intl.supportedValuesOf('timeZone').includes(r.timezone) && r.timezone !== 'UTC') throw new Error(`zone ${r.timezone}`);
        if (r.weekdays.length === 0 || r.weekdays.some((d, i) => !Number.isInteger(d) || d < 1 || d > 7 || (i > 0 && d <= r.weekdays[i - 1]!))) throw new Error(`weekdays ${r.weekdays}`);
      }),
      cases,
      seed,
    ),
};

// ---------------------------------------------------------------------------------------
// Sources: HF JSON and arXiv Atom

/** What every parsed item must be, whatever the payload: a real id, a title, only http(s) links. */
function checkItems(r: ParsedItems): void {
  if (r.skipped !== r.warnings.length) throw new Error('skipped and warnings disagree');
  for (const { paper, listing } of r.items) {
    if (parseArxivId(paper.id) !== paper.id) throw new Error(`id ${JSON.stringify(paper.id)}`);
    if (!paper.title.trim()) throw new Error('empty title');
    for (const u of [paper.links.hf, paper.links.github, paper.links.project, paper.thumbnailUrl]) if (u !== null && !/^https?:\/\//.test(u)) throw new Error(`link ${u}`);
    if (paper.publishedAt !== null && Number.isNaN(Date.parse(paper.publishedAt))) throw new Error(`date ${paper.publishedAt}`);
    if (listing && !/^\d{4}-\d{2}-\d{2}$/.test(listing.day)) throw new Error(`listing day ${listing.day}`);
    if (!Number.isSafeInteger(paper.upvotes) || paper.upvotes < 0) throw new Error(`upvotes ${paper.upvotes}`);
  }
}

const jsonText = fc.oneof(anyText([100]), fc.constantFrom(...WHEN), fc.constantFrom(...IDS));
const jsonLeaf = fc.oneof(jsonText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const hfItem = fc.record(
  {
    paper: fc.oneof(
      { weight: 6, arbitrary: fc.record(
        {
          id: fc.oneof(fc.constantFrom(...IDS), jsonLeaf),
          title: fc.oneof(jsonText, jsonLeaf),
          summary: jsonLeaf,
          authors: fc.oneof(fc.array(fc.record({ name: fc.oneof(jsonText, jsonLeaf), hidden: fc.oneof(fc.boolean(), jsonLeaf) }), { maxLength: 5 }), jsonLeaf),
          publishedAt: fc.oneof(fc.constantFrom(...WHEN), jsonLeaf),
          submittedOnDailyAt: fc.oneof(fc.constantFrom(...WHEN), jsonLeaf),
          upvotes: fc.oneof(fc.nat(), jsonLeaf),
          githubRepo: jsonLeaf,
          projectPage: jsonLeaf,
          ai_summary: jsonLeaf,
          ai_keywords: fc.oneof(fc.array(jsonText, { maxLength: 3 }), jsonLeaf),
          organization: fc.oneof(fc.record({ fullname: jsonLeaf, name: jsonLeaf }), jsonLeaf),
        },
        { requiredKeys: [] },
      ) },
      { weight: 1, arbitrary: fc.anything() },
    ),
    title: jsonLeaf,
    summary: jsonLeaf,
    thumbnail: jsonLeaf,
    mediaUrl: jsonLeaf,
    numComments: fc.oneof(fc.nat(), jsonLeaf),
    organization: jsonLeaf,
  },
  { requiredKeys: [] },
);

/** The fallback day is ours (the day asked for), always a valid day; the payload is anything. */
const hfParser: FuzzProperty = {
  name: 'HF daily papers parser',
  weight: 10,
  check: (cases, seed) =>
    runProperty(
      fc.property(fc.oneof({ weight: 6, arbitrary: fc.array(hfItem, { maxLength: 6 }) }, { weight: 1, arbitrary: fc.anything() }), fc.option(fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))), (json, day) => {
        const r = parseHfDailyPapers(json, day);
        checkItems(r);
        if (Array.isArray(json) && r.items.length + r.skipped !== json.length) throw new Error('items lost');
      }),
      cases,
      seed,
    ),
};

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlText = fc.oneof(
  { weight: 4, arbitrary: anyText([100]).map(xmlEscape) },
  { weight: 1, arbitrary: anyText().map((t) => `<![CDATA[${t}]]>`) },
  { weight: 1, arbitrary: fc.constantFrom('&amp;', '&lt;b&gt;', '&#xD800;', '&#0;', '&bogus;', '<b>x</b>', '<__proto__>x</__proto__>', '<constructor/>', '&#x1F680;') },
  { weight: 1, arbitrary: anyText() },
);
const entryXml = fc
  .record(
    {
      id: fc.oneof(fc.constantFrom(...IDS).map((i) => `http://arxiv.org/abs/${i}`), fc.constant('http://arxiv.org/api/errors#incorrect_id_format_for_abc'), xmlText),
      title: xmlText,
      summary: xmlText,
      published: fc.oneof(fc.constantFrom(...WHEN), xmlText),
      authors: fc.array(xmlText, { maxLength: 4 }),
      categories: fc.array(fc.oneof(fc.constantFrom('cs.LG', 'hep-th'), xmlText), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  .map(
    (e) =>
      `<entry>${e.id !== undefined ? `<id>${e.id}</id>` : ''}${e.title !== undefined ? `<title type="html">${e.title}</title>` : ''}` +
      `${e.summary !== undefined ? `<summary>${e.summary}</summary>` : ''}${e.published !== undefined ? `<published>${e.published}</published>` : ''}` +
      (e.authors ?? []).map((a) => `<author><name>${a}</name></author>`).join('') +
      (e.categories ?? []).map((c) => `<category term="${c.replace(/"/g, '&quot;')}"/>`).join('') +
      `<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG"/></entry>`,
  );
const feedXml = fc
  .tuple(fc.array(entryXml, { maxLength: 5 }), fc.oneof(fc.nat().map(String), xmlText), fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE feed [<!ENTITY x "xxxxxxxx">]>'))
  .map(([entries, total, prolog]) => `${prolog}<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"><opensearch:totalResults>${total}</opensearch:totalResults>${entries.join('')}</feed>`);

const arxivParser: FuzzProperty = {
  name: 'arXiv Atom parser',
  weight: 6,
  check: (cases, seed) =>
    runProperty(
      fc.property(fc.oneof({ weight: 6, arbitrary: feedXml }, { weight: 1, arbitrary: anyText() }, { weight: 1, arbitrary: feedXml.map((x) => x.slice(0, x.length >> 1)) }), (xml) => {
        const r = parseArxivAtom(xml);
        if (r.kind === 'feed') checkItems(r.feed);
        else if (!r.message.trim()) throw new Error('empty message');
      }),
      cases,
      seed,
    ),
};

// ---------------------------------------------------------------------------------------
// Renderers

/** A renderer's messages for a hostile reply, card and text all hold to `violations`. */
function renderer<M>(name: string, limits: number[], render: (reply: Reply, card: PaperCard, text: string) => M[], violations: (m: M, wellFormed: boolean) => string[]): FuzzProperty {
  return {
    name,
    weight: 4,
    check: (cases, seed) =>
      runProperty(
        fc.property(replyArb, cardArb, anyText(limits), (reply, card, text) => {
          const ok = brokenStrings([reply, card, text]).length === 0;
          for (const m of render(reply, card, text)) {
            const v = violations(m, ok);
            if (v.length > 0) throw new Error(v.join('; '));
          }
        }),
        cases,
        seed,
      ),
  };
}

const discordRenderer = renderer('Discord renderer (limits, no half emoji)', [2000], (reply, card, text) => [
  renderDiscord(reply),
  renderOutbound({ kind: 'paper', key: 'k', card, digestDate: '2026-08-21' }),
  renderOutbound({ kind: 'header', key: 'k', title: reply.title ?? '', text, digestDate: '2026-08-21' }),
  renderOutbound({ kind: 'notice', key: 'k', text }),
], discordViolations);

const slackRenderer = renderer('Slack renderer (limits, no half emoji)', [150, 3000], (reply, card, text) => [
  renderSlack(reply),
  renderPaperMessage(card),
  renderHeaderMessage(reply.title ?? text, text),
  renderNotice(text),
], slackViolations);

/** Every property, in the order the script reports them. */
export const PROPERTIES: readonly FuzzProperty[] = [
  textParser,
  discordOptions,
  textCommands,
  discordCommands,
  searchParser,
  searchSqlite,
  searchSqliteTiny,
  postgresText,
  scheduleParser,
  hfParser,
  arxivParser,
  discordRenderer,
  slackRenderer,
];

/** `total` cases shared out by weight (at least one each). */
export function shareCases(total: number, props: readonly FuzzProperty[] = PROPERTIES): number[] {
  const sum = props.reduce((n, p) => n + p.weight, 0);
  const shares = props.map((p) => Math.max(1, Math.floor((total * p.weight) / sum)));
  shares[0]! += Math.max(0, total - shares.reduce((a, b) => a + b, 0));
  return shares;
}
