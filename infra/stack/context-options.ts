/**
 * Parsers for the options of the CDK app, given as `-c key=value` or in a stage settings file
 * (infra/stages/<stage>.json). The CLI passes every value as a string, and a JSON file or a test may pass
 * numbers, so each parser accepts both and rejects anything else with the option's name and the accepted range.
 */

/** Raised when an option, from `-c` or a stage settings file, has a value that the app cannot use. */
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

/** Raised when the app context contains a plain key that is not one of {@link CONTEXT_OPTIONS}. */
export class UnknownContextKeyError extends Error {
  override readonly name = 'UnknownContextKeyError';

  constructor(
    readonly key: string,
    source: string,
  ) {
    const suggestion = CONTEXT_OPTIONS.find((option) => option.toLowerCase() === key.toLowerCase());
    super(
      `Unknown context key "${key}" in ${source}.` +
        (suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`) +
        ` Known keys: ${CONTEXT_OPTIONS.join(', ')}.`,
    );
  }
}

/** Names of the options that infra/app.ts reads, as `-c name=value` or from a stage settings file. */
export const CONTEXT_OPTIONS = [
  'stage',
  'telegramSecretVersion',
  'alarmEmail',
  'defaultCurrency',
  'defaultTimeZone',
  'debugSampleRate',
  'webhookReservedConcurrency',
  'processorMaxConcurrency',
  'notificationSenderMaxConcurrency',
  'emailFromAddress',
  'emailIdentity',
  'fxBaseCurrency',
  'fxCurrencies',
  'weeklySummarySettingsUrl',
  'whatsapp',
  'whatsappReplyTemplate',
  'whatsappTemplateLanguage',
  'whatsappApiVersion',
  'aiDailySpendAlarmUsd',
  'ai',
  'vision',
  'aiInsights',
  'transcriber',
  'aiDailyBudgetUsd',
  'openaiModel',
] as const;

/** A value of {@link CONTEXT_OPTIONS}. */
export type ContextOption = (typeof CONTEXT_OPTIONS)[number];

/**
 * Context keys without `:` or `@` that the CDK CLI itself sets: `cli-telemetry` and `notices` from cdk.json,
 * and `acknowledged-issue-numbers`, which `cdk acknowledge` writes to cdk.context.json.
 */
const CDK_CONTEXT_KEYS: ReadonlySet<string> = new Set([
  'cli-telemetry',
  'notices',
  'acknowledged-issue-numbers',
]);

/**
 * Checks that every context key is one of {@link CONTEXT_OPTIONS} or belongs to the CDK, so that a misspelled
 * `-c alarmemail=...` fails instead of being ignored. Keys that contain `:` or `@` (`aws:cdk:...`, feature
 * flags, cached lookups) belong to the CDK.
 * @throws UnknownContextKeyError naming the first unknown key.
 */
export function assertKnownContextKeys(keys: Iterable<string>, source: string): void {
  for (const key of keys) {
    const known = (CONTEXT_OPTIONS as readonly string[]).includes(key);
    const belongsToCdk = key.includes(':') || key.includes('@') || CDK_CONTEXT_KEYS.has(key);
    if (!known && !belongsToCdk) {
      throw new UnknownContextKeyError(key, source);
    }
  }
}

/**
 * Parses a free-text option such as `defaultTimeZone`.
 * @returns `undefined` when the option is not set, else the text.
 * @throws InvalidContextValueError for anything but a string.
 */
export function parseText(key: string, value: unknown): string | undefined {
  if (isUnset(value)) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InvalidContextValueError(key, value, 'a string');
  }

  return value;
}

/**
 * Parses an on/off option such as `whatsapp`: `true` or `false`, as a JSON boolean or as the text that
 * `-c whatsapp=false` passes.
 * @returns `undefined` when the option is not set, so the stage default applies.
 * @throws InvalidContextValueError for anything else.
 */
export function parseBoolean(key: string, value: unknown): boolean | undefined {
  if (isUnset(value)) {
    return undefined;
  }
  if (value === true || value === 'true') {
    return true;
  }
  if (value === false || value === 'false') {
    return false;
  }

  throw new InvalidContextValueError(key, value, 'true or false');
}

/**
 * Parses a bare e-mail address such as `alarmEmail`.
 * @returns `undefined` when the option is not set, else the address.
 * @throws InvalidContextValueError for anything else.
 */
export function parseEmailAddress(key: string, value: unknown): string | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const address = typeof value === 'string' ? value.trim() : '';
  if (!EMAIL_ADDRESS.test(address) || address.length > 254) {
    throw new InvalidContextValueError(key, value, 'an e-mail address such as ops@example.com');
  }

  return address;
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
 * Parses an amount of US dollars above 0, such as `aiDailySpendAlarmUsd`.
 * @returns `undefined` when the option is not set, so the default applies.
 * @throws InvalidContextValueError for anything else.
 */
export function parseUsdAmount(key: string, value: unknown): number | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const amount = toNumber(value);
  if (amount === undefined || amount <= 0) {
    throw new InvalidContextValueError(key, value, 'US dollars above 0, such as 20');
  }

  return amount;
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

/** An e-mail sender as `-c emailFromAddress` gives it: the whole From value and its bare address. */
export interface EmailSender {
  /** The From value as given, such as `Financy <reports@example.com>`. */
  readonly from: string;
  /** The bare address, such as `reports@example.com`. */
  readonly address: string;
  /** The address's domain, such as `example.com`. */
  readonly domain: string;
}

// One @, no spaces, angle brackets or commas, and a dot in the domain: the check that lib/notify applies to
// recipients, applied here to the sender.
const EMAIL_ADDRESS = /^([^\s@<>,;"]+)@([^\s@<>,;"]+\.[^\s@<>,;"]+)$/;

/**
 * Parses an e-mail sender such as `emailFromAddress`: a bare address (`reports@example.com`) or one with a
 * display name (`Financy <reports@example.com>`).
 * @returns `undefined` when the option is not set.
 * @throws InvalidContextValueError for anything else.
 */
export function parseEmailSender(key: string, value: unknown): EmailSender | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const text = typeof value === 'string' ? value.trim() : '';
  const address = /^[^<>]*<([^<>]+)>$/.exec(text)?.[1] ?? text;
  const match = EMAIL_ADDRESS.exec(address);
  if (match === null || address.length > 254) {
    throw new InvalidContextValueError(
      key,
      value,
      'an e-mail address such as reports@example.com, or one with a name such as "Financy <reports@example.com>"',
    );
  }

  return { from: text, address, domain: match[2]!.toLowerCase() };
}

/**
 * Ways in which the stack provides the SES identity of the e-mail sender. `address` creates an e-mail address
 * identity, and SES mails a verification link to it. `domain` creates a domain identity with Easy DKIM, whose
 * DNS records are stack outputs. `existing` creates none, because the identity is verified outside the stack.
 */
export const EMAIL_IDENTITY_MODES = ['address', 'domain', 'existing'] as const;

/** A value of {@link EMAIL_IDENTITY_MODES}. */
export type EmailIdentityMode = (typeof EMAIL_IDENTITY_MODES)[number];

/**
 * Parses `emailIdentity`: one of {@link EMAIL_IDENTITY_MODES}.
 * @returns `undefined` when the option is not set, so the default `address` applies.
 * @throws InvalidContextValueError for anything else.
 */
export function parseEmailIdentityMode(key: string, value: unknown): EmailIdentityMode | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const mode = EMAIL_IDENTITY_MODES.find((candidate) => candidate === value);
  if (mode === undefined) {
    throw new InvalidContextValueError(key, value, `one of ${EMAIL_IDENTITY_MODES.join(', ')}`);
  }

  return mode;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * Parses an ISO 4217 currency code such as `fxBaseCurrency`, in any letter case.
 * @returns `undefined` when the option is not set, or the code in capitals.
 * @throws InvalidContextValueError for anything else.
 */
export function parseCurrencyCode(key: string, value: unknown): string | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!CURRENCY_CODE.test(code)) {
    throw new InvalidContextValueError(key, value, 'an ISO 4217 code such as EUR');
  }

  return code;
}

/**
 * Parses a list of ISO 4217 codes such as `fxCurrencies`, in any letter case: comma-separated as `-c` gives
 * it, or an array of strings as a stage settings file may give it. Repeated codes are kept once.
 * @returns `undefined` when the option is not set, or the codes in capitals.
 * @throws InvalidContextValueError for anything else.
 */
export function parseCurrencyList(key: string, value: unknown): string[] | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const items: unknown[] = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const codes = items.map((code) => (typeof code === 'string' ? code.trim().toUpperCase() : ''));
  if (codes.length === 0 || !codes.every((code) => CURRENCY_CODE.test(code))) {
    throw new InvalidContextValueError(key, value, 'comma-separated ISO 4217 codes such as EUR,GBP,BRL');
  }

  return [...new Set(codes)];
}

/**
 * Parses an https URL such as `weeklySummarySettingsUrl`.
 * @returns `undefined` when the option is not set.
 * @throws InvalidContextValueError for anything else.
 */
export function parseHttpsUrl(key: string, value: unknown): string | undefined {
  if (isUnset(value)) {
    return undefined;
  }

  const text = typeof value === 'string' ? value.trim() : '';
  if (!URL.canParse(text) || new URL(text).protocol !== 'https:') {
    throw new InvalidContextValueError(
      key,
      value,
      'an https URL such as https://financy.example.com/settings',
    );
  }

  return text;
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
