/** Readers of request body fields that raise Graph API errors naming the parameter. */
import { FakeGraphError, invalidParameter, invalidValue } from './graph-error';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/**
 * Returns `value` as an object.
 * @throws FakeGraphError 100 when it is missing or not an object.
 */
export function objectAt(value: unknown, path: string): Json {
  if (value === undefined || value === null) {
    throw invalidParameter(`The parameter ${path} is required.`);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameter(`Param ${path} must be a JSON object.`);
  }

  return value as Json;
}

/**
 * Returns a non-empty string field.
 * @throws FakeGraphError `missingCode` (default 100) when it is missing or empty, 100 when it is not a string.
 */
export function requiredString(object: Json, key: string, path: string, missingCode = 100): string {
  const value = object[key];
  if (value === undefined || value === null || value === '') {
    throw new FakeGraphError(missingCode, { details: `The parameter ${path} is required.` });
  }
  if (typeof value !== 'string') {
    throw invalidParameter(`Param ${path} must be a string.`);
  }

  return value;
}

/**
 * Checks a string's length.
 * @throws FakeGraphError 131009 naming the limits and the actual length.
 */
export function assertLength(value: string, path: string, min: number, max: number): void {
  if (value.length < min || value.length > max) {
    throw invalidValue(
      `${path} length invalid. Min length: ${min}, Max length: ${max}, actual length: ${value.length}.`,
    );
  }
}

/** @throws FakeGraphError 100 for the first key of `object` that is not in `allowed`. */
export function rejectUnknownKeys(object: Json, allowed: readonly string[], path: string): void {
  const unexpected = Object.keys(object).find((key) => !allowed.includes(key));
  if (unexpected !== undefined) {
    throw invalidParameter(`Unexpected key "${unexpected}" on param "${path}".`);
  }
}
