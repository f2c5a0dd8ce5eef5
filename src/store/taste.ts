import type { Kysely } from 'kysely';
import { endianness } from 'node:os';
import type { Database } from './schema.ts';

/** A fitted taste model as stored: sparse weights with the signals it was fitted on. */
export interface StoredTaste {
  signalsKey: string;
  positives: number;
  negatives: number;
  ids: Uint32Array;
  weights: Float32Array;
  bias: number;
  fittedAt: string;
}

/**
 * What a team told us it likes (votes, saves, reactions: reactions become votes and saves) and
 * what it was shown, and the model fitted on that. Plain kysely: the PostgreSQL store reuses it.
 */
export class TasteRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Papers anyone in the team voted for or saved, most recently liked first. */
  async positives(teamId: number): Promise<string[]> {
    const signals = this.db
      .selectFrom('votes')
      .select(['paper_id', 'created_at'])
      .where('team_id', '=', teamId)
      .unionAll(this.db.selectFrom('saves').select(['paper_id', 'created_at']).where('team_id', '=', teamId));
    const rows = await this.db
      .selectFrom(signals.as('s'))
      .select(['s.paper_id', (eb) => eb.fn.max('s.created_at').as('at')])
      .groupBy('s.paper_id')
      .orderBy('at', 'desc')
      .orderBy('s.paper_id')
      .execute();
    return rows.map((r) => r.paper_id);
  }

  /** Papers posted (sent) to any of the team's channels, most recently posted first, at most `limit`. */
  async delivered(teamId: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('deliveries as d')
      .innerJoin('channels as c', 'c.id', 'd.channel_id')
      .select(['d.paper_id', (eb) => eb.fn.max('d.updated_at').as('at')])
      .where('c.team_id', '=', teamId)
      .where('d.kind', '=', 'paper')
      .where('d.state', '=', 'sent')
      .groupBy('d.paper_id')
      .orderBy('at', 'desc')
      .orderBy('d.paper_id')
      .limit(limit)
      .execute();
    return rows.flatMap((r) => (r.paper_id === null ? [] : [r.paper_id]));
  }

  /**
   * Papers listed on the days the team's liked papers were listed (the newest 60 such days),
   * newest days first, at most `limit`: what the team could have picked on those days and did
   * not (the caller removes the liked ones).
   */
  async listedBesideLiked(teamId: number, limit: number): Promise<string[]> {
    const liked = this.db
      .selectFrom('votes')
      .select('paper_id')
      .where('team_id', '=', teamId)
      .union(this.db.selectFrom('saves').select('paper_id').where('team_id', '=', teamId));
    const days = this.db.selectFrom('listings').select('day').distinct().where('paper_id', 'in', liked).orderBy('day', 'desc').limit(60);
    const rows = await this.db
      .selectFrom('listings')
      .select(['paper_id', (eb) => eb.fn.max('day').as('day')])
      .where('day', 'in', days)
      .groupBy('paper_id')
      .orderBy('day', 'desc')
      .orderBy('paper_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.paper_id);
  }

  /** Of `paperIds`, those the team has seen: posted or queued in one of its channels, or voted or saved. */
  async seen(teamId: number, paperIds: readonly string[]): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < paperIds.length; i += 500) {
      const chunk = paperIds.slice(i, i + 500);
      const rows = await this.db
        .selectFrom('deliveries as d')
        .innerJoin('channels as c', 'c.id', 'd.channel_id')
        .select('d.paper_id')
        .where('c.team_id', '=', teamId)
        .where('d.state', '!=', 'failed')
        .where('d.paper_id', 'in', chunk)
        .union(this.db.selectFrom('votes').select('paper_id').where('team_id', '=', teamId).where('paper_id', 'in', chunk))
        .union(this.db.selectFrom('saves').select('paper_id').where('team_id', '=', teamId).where('paper_id', 'in', chunk))
        .execute();
      for (const r of rows) if (r.paper_id !== null) seen.add(r.paper_id);
    }
    return seen;
  }

  async model(teamId: number): Promise<StoredTaste | null> {
    const r = await this.db.selectFrom('team_taste').selectAll().where('team_id', '=', teamId).executeTakeFirst();
    if (!r) return null;
    const { ids, weights } = decodeWeights(r.weights);
    return { signalsKey: r.signals_key, positives: r.positives, negatives: r.negatives, ids, weights, bias: r.bias, fittedAt: r.fitted_at };
  }

  async saveModel(teamId: number, m: StoredTaste): Promise<void> {
    const row = {
      signals_key: m.signalsKey,
      positives: m.positives,
      negatives: m.negatives,
      weights: encodeWeights(m.ids, m.weights),
      bias: m.bias,
      fitted_at: m.fittedAt,
    };
    await this.db
      .insertInto('team_taste')
      .values({ team_id: teamId, ...row })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(row))
      .execute();
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Ids (uint32) then weights (float32), little-endian. */
function encodeWeights(ids: Uint32Array, weights: Float32Array): Buffer {
  const out = Buffer.alloc(ids.length * 8);
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), 0);
    out.set(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength), ids.byteLength);
    return out;
  }
  for (let i = 0; i < ids.length; i++) {
    out.writeUInt32LE(ids[i]!, i * 4);
    out.writeFloatLE(weights[i]!, ids.length * 4 + i * 4);
  }
  return out;
}

function decodeWeights(bytes: Uint8Array): { ids: Uint32Array; weights: Float32Array } {
  const n = bytes.length / 8;
  if (LITTLE_ENDIAN) {
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return { ids: new Uint32Array(copy, 0, n), weights: new Float32Array(copy, n * 4, n) };
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ids = new Uint32Array(n);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = buf.readUInt32LE(i * 4);
    weights[i] = buf.readFloatLE(n * 4 + i * 4);
  }
  return { ids, weights };
}
