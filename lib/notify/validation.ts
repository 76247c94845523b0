import { InvalidNotificationError } from './errors';

/**
 * Small readers for untrusted JSON, as the queue delivers it. Each takes the path of the value for its error
 * message and never repeats the value itself, which may be personal data.
 */

/** A JSON object whose keys were checked against an allow-list. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Returns `value` as an object after checking that it has no key outside `allowedKeys`.
 * @throws {InvalidNotificationError} for a non-object or an unknown key.
 */
export function readObject(value: unknown, path: string, allowedKeys: readonly string[]): JsonObject {
  const object = readRecord(value, path);
  const unknown = Object.keys(object).filter((key) => !allowedKeys.includes(key));
  if (unknown.length > 0) {
    throw new InvalidNotificationError(
      path,
      `has unknown field ${unknown.map((key) => `"${key}"`).join(', ')}; allowed: ${allowedKeys.join(', ')}`,
    );
  }

  return object;
}

/**
 * Returns `value` as an object whose keys a later reader checks, such as template data.
 * @throws {InvalidNotificationError} for a non-object.
 */
export function readRecord(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidNotificationError(path, 'must be a JSON object');
  }

  return value as JsonObject;
}

/** Options of {@link readString}. */
export interface StringRule {
  /** Longest accepted value, in UTF-16 code units. Default 1,000. */
  maxLength?: number;
  /** Pattern the whole value must match. */
  pattern?: RegExp;
  /** Description of the accepted values for the error message, such as "an E.164 number like +351912345678". */
  expected?: string;
}

/**
 * Returns the non-empty string at `object[key]`.
 * @throws {InvalidNotificationError} when it is missing, empty, too long or does not match `rule.pattern`.
 */
export function readString(object: JsonObject, key: string, path: string, rule: StringRule = {}): string {
  const value = object[key];
  const fieldPath = `${path}.${key}`;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidNotificationError(fieldPath, 'must be a non-empty string');
  }

  const maxLength = rule.maxLength ?? 1_000;
  if (value.length > maxLength) {
    throw new InvalidNotificationError(fieldPath, `must be at most ${maxLength} characters long`);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    throw new InvalidNotificationError(
      fieldPath,
      `must be ${rule.expected ?? `a string matching ${rule.pattern}`}`,
    );
  }

  return value;
}

/** Returns the string at `object[key]` like {@link readString}, or `undefined` when the key is absent. */
export function readOptionalString(
  object: JsonObject,
  key: string,
  path: string,
  rule: StringRule = {},
): string | undefined {
  return object[key] === undefined ? undefined : readString(object, key, path, rule);
}

/**
 * Returns the whole number at `object[key]`, from `min` to `max`.
 * @throws {InvalidNotificationError} when it is missing, not a whole number or out of range.
 */
export function readInteger(object: JsonObject, key: string, path: string, min: number, max: number): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidNotificationError(`${path}.${key}`, `must be a whole number from ${min} to ${max}`);
  }

  return value;
}

/**
 * Returns the value at `object[key]` when it is one of `allowed`.
 * @throws {InvalidNotificationError} otherwise, listing the allowed values.
 */
export function readEnum<T extends string>(
  object: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
): T {
  const value = object[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidNotificationError(`${path}.${key}`, `must be one of ${allowed.join(', ')}`);
  }

  return value as T;
}

/**
 * Returns the array at `object[key]`, with at most `maxItems` entries.
 * @throws {InvalidNotificationError} when it is missing, not an array or too long.
 */
export function readArray(
  object: JsonObject,
  key: string,
  path: string,
  maxItems: number,
): readonly unknown[] {
  const value = object[key];
  if (!Array.isArray(value) || value.length > maxItems) {
    throw new InvalidNotificationError(`${path}.${key}`, `must be an array of at most ${maxItems} entries`);
  }

  return value;
}

/** A decimal amount as a string, such as `12.50` or `-3`, never a binary float. */
export const DECIMAL_AMOUNT: StringRule = {
  pattern: /^-?\d{1,15}(?:\.\d{1,4})?$/,
  expected: 'a decimal amount as a string, such as "12.50"',
  maxLength: 21,
};

/** An ISO 4217 currency code. */
export const CURRENCY_CODE: StringRule = { pattern: /^[A-Z]{3}$/, expected: 'an ISO 4217 code such as EUR' };

/** A calendar date, `YYYY-MM-DD`. */
export const CALENDAR_DATE: StringRule = {
  pattern: /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/,
  expected: 'a date such as 2026-03-16',
};

/** A UTC timestamp in ISO 8601 form, as `Date.prototype.toISOString` writes it. */
export const ISO_TIMESTAMP: StringRule = {
  pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/,
  expected: 'a UTC timestamp such as 2026-03-16T09:00:00.000Z',
};

/** An https URL, for links in messages. */
export const HTTPS_URL: StringRule = {
  pattern: /^https:\/\/[^\s<>"']+$/,
  expected: 'an https URL',
  maxLength: 2_000,
};
