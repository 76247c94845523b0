/**
 * JSON parsing that keeps each number's source text, so a rate written as `0.92` is stored as the
 * decimal string "0.92" and never passes through a binary float. It relies on the `context.source`
 * argument that JSON.parse gives revivers in Node.js 21 and later (V8's JSON.parse source text access).
 */

/** A JSON number with its exact source text, such as `1e-7` or `0.1000000000000000000001`. */
export class JsonNumber {
  constructor(readonly source: string) {}

  /** Returns the nearest binary float, for checks such as finiteness and never for stored values. */
  toNumber(): number {
    return Number(this.source);
  }
}

type ExactReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/**
 * Parses JSON text, turning every number into a {@link JsonNumber}.
 * @throws SyntaxError when `text` is not JSON.
 */
export function parseJsonExact(text: string): unknown {
  const reviver: ExactReviver = (_key, value, context) => {
    if (typeof value !== 'number') {
      return value;
    }

    return new JsonNumber(context?.source ?? String(value));
  };

  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

/** Returns the value as an exact JSON number when it is one, else undefined. */
export function asJsonNumber(value: unknown): JsonNumber | undefined {
  return value instanceof JsonNumber ? value : undefined;
}

/** Returns the value as a plain object (not an array, not null), else undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof JsonNumber)
    ? (value as Record<string, unknown>)
    : undefined;
}
