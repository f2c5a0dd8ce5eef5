import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

const ORDER: Record<LogLevel, number> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

/**
 * Bolt and the WebClient log through this into Paperboy's JSON log, so one log has
 * everything. Bolt's own level is a first filter: at INFO it never builds its debug strings
 * (which serialize whole request bodies).
 */
export function boltLogger(log: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  let current = level;
  let name = 'bolt';
  const emit = (lvl: LogLevel, args: unknown[]) => {
    if (ORDER[lvl] < ORDER[current]) return;
    const err = args.find((a): a is Error => a instanceof Error);
    const msg = args
      .filter((a) => !(a instanceof Error))
      .map((a) => (typeof a === 'string' ? a : safeJson(a)))
      .join(' ');
    const fields: Record<string, unknown> = { component: name };
    if (err) fields.err = err;
    // Bolt's words for a request that failed signature checks don't say which setting to look at.
    if (/verify the request|signature/i.test(msg)) fields.hint = 'If real Slack requests get this, check SLACK_SIGNING_SECRET (Slack app > Basic Information > Signing Secret).';
    const text = msg || err?.message || '(no message)';
    if (lvl === LogLevel.DEBUG) log.debug(text, fields);
    else if (lvl === LogLevel.INFO) log.info(text, fields);
    else if (lvl === LogLevel.WARN) log.warn(text, fields);
    else log.error(text, fields);
  };
  return {
    debug: (...a: unknown[]) => emit(LogLevel.DEBUG, a),
    info: (...a: unknown[]) => emit(LogLevel.INFO, a),
    warn: (...a: unknown[]) => emit(LogLevel.WARN, a),
    error: (...a: unknown[]) => emit(LogLevel.ERROR, a),
    setLevel: (l: LogLevel) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n: string) => {
      name = n;
    },
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
