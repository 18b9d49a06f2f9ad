/**
 * Option checks shared by the factories. Each throws a plain `TypeError` naming the option, as
 * wrong arguments are the caller's bug, not a verification outcome.
 */

/** A whole number of milliseconds ≥ `min`, or `fallback` when undefined. */
export function validateDuration(value: unknown, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(
      `${name} must be an integer number of milliseconds ≥ ${min}, got ${describe(value)}`,
    );
  }
  return value;
}

/** A whole number of milliseconds ≥ `min` that the caller must give. */
export function validateRequiredDuration(value: unknown, name: string, min = 0): number {
  if (value === undefined) throw new TypeError(`${name} is required`);
  return validateDuration(value, 0, name, min);
}

/** A safe integer ≥ `min`, or `fallback` when undefined. */
export function validateInteger(value: unknown, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

/** A non-empty string. */
export function validateString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** A non-empty string, or `fallback` when undefined. */
export function validateOptionalString(value: unknown, fallback: string, name: string): string {
  return value === undefined ? fallback : validateString(value, name);
}

/** One of `choices`, or `fallback` when undefined. */
export function validateChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
  fallback: T,
  name: string,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new TypeError(
      `${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

/** A short description of a value for an error message, never the whole value. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? 'undefined';
}
