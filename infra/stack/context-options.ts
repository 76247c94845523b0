/**
 * Parsers for the `-c key=value` options of the CDK app. The CLI passes every value as a string, and
 * cdk.json or a test may pass numbers, so each parser accepts both and rejects anything else with the
 * option's name and the accepted range.
 */

/** Raised when a `-c` option has a value that the app cannot use. */
export class InvalidContextValueError extends Error {
  override readonly name = 'InvalidContextValueError';

  constructor(
    readonly key: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Context value ${key}=${JSON.stringify(value)} is invalid: expected ${expected}.`);
  }
}

/** Value that turns reserved concurrency off, as in `-c webhookReservedConcurrency=none`. */
export const NO_RESERVED_CONCURRENCY = 'none';

/**
 * Parses a share of invocations such as `debugSampleRate`: a number from 0 to 1.
 * @returns `undefined` when the option is not set, so the stage default applies.
 * @throws InvalidContextValueError for anything else.
 */
export function parseSampleRate(key: string, value: unknown): number | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const rate = toNumber(value);
  if (rate === undefined || rate < 0 || rate > 1) {
    throw new InvalidContextValueError(key, value, 'a number from 0 to 1, such as 0.1');
  }

  return rate;
}

/**
 * Parses a Lambda reserved concurrency such as `webhookReservedConcurrency`: a whole number of at least 1,
 * or `none` for no reservation. Zero is rejected because it would stop the function from running at all.
 * @returns `undefined` when the option is not set, `null` for `none`, else the number.
 * @throws InvalidContextValueError for anything else.
 */
export function parseReservedConcurrency(key: string, value: unknown): number | null | undefined {
  if (isUnset(value)) {
    return undefined;
  }
  if (value === NO_RESERVED_CONCURRENCY) {
    return null;
  }

  const concurrency = toNumber(value);
  if (concurrency === undefined || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidContextValueError(
      key,
      value,
      `a whole number of at least 1, or ${NO_RESERVED_CONCURRENCY} for no reserved concurrency`,
    );
  }

  return concurrency;
}

/**
 * Parses the maximum concurrency of an SQS event source such as `processorMaxConcurrency`: a whole number
 * from 2 to 1,000, the range that Lambda's ScalingConfig accepts.
 * @returns `undefined` when the option is not set, so the stage default applies.
 * @throws InvalidContextValueError for anything else.
 */
export function parseEventSourceMaxConcurrency(key: string, value: unknown): number | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const concurrency = toNumber(value);
  if (concurrency === undefined || !Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1_000) {
    throw new InvalidContextValueError(key, value, 'a whole number from 2 to 1000');
  }

  return concurrency;
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === '';
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }

  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
