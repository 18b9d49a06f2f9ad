/**
 * A value as an error message shows it: short strings, numbers and booleans as they are,
 * everything else by its kind, so a message never carries a whole object (or a secret in one).
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      return Buffer.isBuffer(value) ? 'a Buffer' : 'an object';
    case 'function':
      return 'a function';
    default:
      return typeof value;
  }
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
