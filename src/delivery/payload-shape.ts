/**
 * A JSON payload's structure with every string replaced by its length (`"<42 chars>"`): what a
 * log line may say about a message the platform refused, to find which field broke a limit,
 * without repeating what the message says.
 */
export function payloadShape(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return `<${value.length} chars>`;
  if (value === null || typeof value !== 'object') return value === undefined ? undefined : typeof value;
  if (depth >= 8) return Array.isArray(value) ? `<array of ${value.length}>` : '<object>';
  if (Array.isArray(value)) return value.map((v) => payloadShape(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, payloadShape(v, depth + 1)]));
}
