import { pino, type Logger as Pino } from 'pino';

/**
 * Structured logs through pino: JSON lines on stderr, so stdout stays clean for CLI output.
 * Call sites keep one shape, `log.info(msg, fields)`; a record reads
 * `{"level":"info","time":"<ISO>","msg":...,...fields}`.
 *
 * No token reaches a log line at any level: pino's `redact` blanks the fields where tokens,
 * secrets and Authorization headers live (in our fields and in the errors of discord.js, the
 * Slack WebClient and pg), and every finished line is scrubbed of the configured secrets and of
 * anything shaped like a credential, for the places no path names (an error message quoting a
 * URL, a debug dump of a request).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Where each line goes (without its newline); stderr when unset. */
  write?: (line: string) => void;
  /** Configured secrets (tokens, signing secret, database password): never printed, wherever they turn up. */
  secrets?: ReadonlyArray<string | undefined | null>;
}

export const REDACTED = '[Redacted]';

/** Keys that hold a credential wherever they appear; pino's paths take one wildcard level each. */
const SECRET_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'secret', 'clientSecret', 'password', 'authorization', 'Authorization', 'cookie', 'Cookie'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`, `*.*.*.*.${k}`]);

/** Credential shapes scrubbed from the finished line, whoever produced them. */
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  // Slack tokens: bot, user, app-level, refresh, config.
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, REDACTED],
  // An Authorization header's value as text ("Bot abc", "Bearer xyz", "Basic ...").
  [/\b(Bot|Bearer|Basic) [A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  // Discord interaction and webhook tokens travel in the URL path.
  [/(\/(?:interactions|webhooks)\/\d+\/)[A-Za-z0-9._-]{10,}/g, `$1${REDACTED}`],
  // A password inside a database URL.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"]+:)[^@\s"]+@/gi, `$1${REDACTED}@`],
];

export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const root = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Errors anywhere in the fields keep their message, stack and enumerable details (status, url, code).
        log: (fields) => serializeErrors(fields) as Record<string, unknown>,
      },
      // Our own serializing (above) stands; pino's err serializer would rename fields and drop details.
      serializers: { err: (e: unknown) => e },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: scrub },
    },
    { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) },
  );
  return wrap(root);
}

function wrap(p: Pino): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (fields) => wrap(p.child(serializeErrors(fields) as Record<string, unknown>)),
  };
}

function scrubber(secrets: ReadonlyArray<string | undefined | null>): (line: string) => string {
  // Longest first, so a secret that contains another is blanked whole; very short values would blank ordinary words.
  const exact = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const s of exact) {
      out = out.split(s).join(REDACTED);
      // The same secret as JSON escapes it inside a string (quotes, backslashes).
      const escaped = JSON.stringify(s).slice(1, -1);
      if (escaped !== s) out = out.split(escaped).join(REDACTED);
    }
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** Errors become plain objects (pino would print `{}`); cycles and depth are bounded. */
function serializeErrors(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > 8) return '[Deep]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
    for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = serializeErrors(v, depth + 1, seen);
    if (value.cause !== undefined) out.cause = serializeErrors(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => serializeErrors(v, depth + 1, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    // Headers, Maps, Buffers, class instances: their own fields, if any, as a plain object.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    if (value instanceof Map) return serializeErrors(Object.fromEntries(value), depth + 1, seen);
    if (typeof Headers !== 'undefined' && value instanceof Headers) return serializeErrors(Object.fromEntries(value.entries()), depth + 1, seen);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = serializeErrors(v, depth + 1, seen);
  return out;
}

/** Collects entries in memory: tests assert on what was logged. */
export function memoryLogger(): Logger & { entries: Array<{ level: string; msg: string } & Record<string, unknown>> } {
  const entries: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const logger = createLogger('debug', { write: (line) => entries.push(JSON.parse(line)) });
  return Object.assign(logger, { entries });
}

export const silentLogger: Logger = createLogger('silent');
