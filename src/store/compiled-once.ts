import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

/** What runs the statement: a Kysely instance or a transaction. */
interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** Stands for the i-th parameter while the query is compiled (no real value looks like it). */
const placeholder = (i: number) => `\u0000paperboy-parameter-${i}\u0000`;

/**
 * A statement whose shape never changes, built and compiled by kysely once and then run with
 * new values. Kysely builds an immutable tree and compiles it on every call; for the few
 * statements the delivery loop runs per message (claim, settle) that was about a millisecond
 * of a post's CPU in the fan-out benchmark's profile, more than running them.
 *
 * `build` receives stand-ins for the values and must bind each as a plain value (a `where`,
 * a `set`, `${value}` in `sql`), never inline it or branch on it: compiling checks that every
 * value reaches the statement as a parameter of its own.
 */
export class CompiledOnce<P extends readonly unknown[], R> {
  private compiled: { query: CompiledQuery<R>; slots: Array<number | null> } | null = null;

  constructor(
    private readonly db: Executor,
    private readonly arity: P['length'],
    private readonly build: (...values: P) => Compilable<R>,
  ) {}

  async execute(...values: P): Promise<QueryResult<R>> {
    const { query, slots } = (this.compiled ??= this.compile());
    return this.db.executeQuery<R>({ ...query, parameters: query.parameters.map((v, i) => (slots[i] === null ? v : values[slots[i]!])) });
  }

  private compile(): { query: CompiledQuery<R>; slots: Array<number | null> } {
    const stand = Array.from({ length: this.arity }, (_, i) => placeholder(i));
    const query = this.build(...(stand as unknown as P)).compile();
    const slots = query.parameters.map((v) => (typeof v === 'string' && stand.includes(v) ? stand.indexOf(v) : null));
    for (let i = 0; i < this.arity; i++) {
      if (!slots.includes(i)) throw new Error(`CompiledOnce: value ${i} is not bound as a parameter of: ${query.sql}`);
    }
    return { query, slots };
  }
}
