import Decimal from 'decimal.js';
import type { AiProvider, AiUsage } from './usage';

/** Price of a model billed per million input and output tokens, in US dollars. */
export interface TokenPrice {
  readonly billing: 'tokens';
  readonly inputUsdPerMillion: string;
  readonly outputUsdPerMillion: string;
}

/**
 * Price of a speech-to-text model billed by audio length. The billed length is the audio length rounded
 * up to a whole number of `incrementSeconds`, and at least `minimumSeconds`.
 */
export interface AudioPrice {
  readonly billing: 'audio';
  readonly usdPerMinute: string;
  readonly incrementSeconds: number;
  readonly minimumSeconds: number;
}

/** Price of an image model billed per 1,000 images. */
export interface ImagePrice {
  readonly billing: 'images';
  readonly usdPerThousandImages: string;
}

/** Price of a model that costs nothing, such as the local parser or offline OCR. */
export interface FreePrice {
  readonly billing: 'free';
}

/** Price of one model in {@link AI_PRICES}. Amounts are decimal strings, so no float rounding enters. */
export type AiPrice = TokenPrice | AudioPrice | ImagePrice | FreePrice;

/** Key of {@link AI_PRICES.models}: `<provider>/<model>`, such as `openai/gpt-4o-mini`. */
export type AiPriceKey = `${AiProvider}/${string}`;

/** A price table: the date its prices were taken and the price of each model. */
export interface AiPriceTable {
  /** Day the prices were taken from the sources, as YYYY-MM-DD. */
  readonly asOf: string;
  readonly models: Readonly<Record<AiPriceKey, AiPrice>>;
}

/**
 * List prices of every AI model that Financy calls, in US dollars, without taxes, discounts or free tiers.
 * Sources, as stored copies read on the `asOf` day:
 * - gpt-4o-mini: openrouter.ai/openai/gpt-4o-mini-2024-07-18 and the `openai-models` crate on docs.rs, which
 *   quotes openai.com/api/pricing.
 * - gpt-4.1-mini: tokenmath.io/openai-api-pricing-explained, which checked OpenAI's model pricing page on
 *   2026-06-21.
 * - whisper-1: theneuralbase.com/whisper-api/learn/beginner/0-006-per-minute-pricing, which states
 *   $0.006 per minute rounded up to the nearest second.
 * - Amazon Transcribe: aws.amazon.com/transcribe/pricing (Chinese edition), which states billing in
 *   one-second increments with a minimum of 15 seconds per request.
 * - Google Vision: cloud.google.com/vision/pricing (Chinese edition): DOCUMENT_TEXT_DETECTION costs $1.50
 *   per 1,000 units from unit 1,001 to 5,000,000 a month, and the first 1,000 units a month are free.
 *
 * The free Vision units are a monthly allowance of the whole Google Cloud account, which one invocation
 * cannot see, so every image is priced at $1.50 per 1,000. The metrics therefore overstate Vision by at
 * most $1.50 a month.
 *
 * NOTE: OpenAI's own pricing page was not available, so the OpenAI prices come from the copies above. The
 * whisper-1 rounding is an estimate: another page of the same site gives whole minutes. The Transcribe price
 * of $0.024 per minute (standard batch, first 250,000 minutes a month, US East) is an estimate, because the
 * stored AWS page lacks its price table.
 */
export const AI_PRICES: AiPriceTable = {
  asOf: '2026-12-05',
  models: {
    'openai/gpt-4o-mini': { billing: 'tokens', inputUsdPerMillion: '0.15', outputUsdPerMillion: '0.60' },
    'openai/gpt-4.1-mini': { billing: 'tokens', inputUsdPerMillion: '0.40', outputUsdPerMillion: '1.60' },
    'openai/whisper-1': { billing: 'audio', usdPerMinute: '0.006', incrementSeconds: 1, minimumSeconds: 0 },
    // Standard batch transcription, which the transcriber reports as model `standard`.
    'aws-transcribe/standard': {
      billing: 'audio',
      usdPerMinute: '0.024',
      incrementSeconds: 1,
      minimumSeconds: 15,
    },
    'google-vision/DOCUMENT_TEXT_DETECTION': { billing: 'images', usdPerThousandImages: '1.50' },
    'local/parser': { billing: 'free' },
    'local/tesseract': { billing: 'free' },
  },
};

/** Raised when a usage names a model that the price table does not contain. */
export class UnknownAiModelError extends Error {
  override readonly name = 'UnknownAiModelError';

  constructor(
    readonly provider: string,
    readonly model: string,
  ) {
    super(
      `No price for AI model ${provider}/${model}: add it to AI_PRICES in lib/ai/pricing.ts with the list price and its source.`,
    );
  }
}

/** Raised when a usage contains a count that cannot be billed, such as a negative or fractional token count. */
export class InvalidAiUsageError extends Error {
  override readonly name = 'InvalidAiUsageError';

  constructor(field: string, value: unknown, expected: string) {
    super(`AI usage ${field}=${String(value)} is invalid: expected ${expected}.`);
  }
}

// OpenAI responses name the dated snapshot that served the call, such as gpt-4o-mini-2024-07-18, which is
// billed at the price of its model.
const SNAPSHOT_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/** A model's entry in a price table. */
export interface PricedModel {
  /** Key in the table, such as `openai/gpt-4o-mini`. */
  key: AiPriceKey;
  /** Model name without the provider, such as `gpt-4o-mini`: the `model` dimension of the AI metrics. */
  model: string;
  price: AiPrice;
}

/**
 * Finds the price of a usage's model, or returns `undefined` when the table has no price for it. A dated
 * snapshot such as `gpt-4o-mini-2024-07-18` has the price of its model.
 */
export function findPrice(
  usage: Pick<AiUsage, 'provider' | 'model'>,
  prices: AiPriceTable = AI_PRICES,
): PricedModel | undefined {
  for (const model of [usage.model, usage.model.replace(SNAPSHOT_SUFFIX, '')]) {
    const key: AiPriceKey = `${usage.provider}/${model}`;
    const price = prices.models[key];
    if (price !== undefined && Object.hasOwn(prices.models, key)) {
      return { key, model, price };
    }
  }

  return undefined;
}

/**
 * Computes the cost of one AI call in US dollars at the table's list prices, exactly (no rounding of the
 * amount). Tokens are priced per million. Audio is billed per started `incrementSeconds`, with the model's
 * minimum per request, even for a call with no audio seconds. Images are priced per 1,000. Counts left
 * undefined count as 0, and a `local` call costs nothing whatever its model.
 *
 * @throws UnknownAiModelError when the table has no price for the model.
 * @throws InvalidAiUsageError for a negative or non-finite count, or a fractional token or image count.
 * @example
 * costOf({ provider: 'openai', model: 'gpt-4o-mini', operation: 'categorize', inputTokens: 1_000, outputTokens: 100 });
 * // Decimal 0.00021
 */
export function costOf(usage: AiUsage, prices: AiPriceTable = AI_PRICES): Decimal {
  const inputTokens = wholeCount('inputTokens', usage.inputTokens);
  const outputTokens = wholeCount('outputTokens', usage.outputTokens);
  const images = wholeCount('images', usage.images);
  const audioSeconds = audioLength(usage.audioSeconds);
  if (usage.provider === 'local') {
    return new Decimal(0);
  }

  const price = findPrice(usage, prices)?.price;
  if (price === undefined) {
    throw new UnknownAiModelError(usage.provider, usage.model);
  }

  switch (price.billing) {
    case 'tokens':
      return tokenCost(price, inputTokens, outputTokens);
    case 'audio':
      return new Decimal(billedAudioSeconds(price, audioSeconds)).mul(price.usdPerMinute).div(60);
    case 'images':
      return new Decimal(images).mul(price.usdPerThousandImages).div(1_000);
    case 'free':
      return new Decimal(0);
  }
}

/** Computes the cost of input and output tokens, which may be averages with fractions, at a token price. */
export function tokenCost(
  price: TokenPrice,
  inputTokens: Decimal.Value,
  outputTokens: Decimal.Value,
): Decimal {
  return new Decimal(inputTokens)
    .mul(price.inputUsdPerMillion)
    .add(new Decimal(outputTokens).mul(price.outputUsdPerMillion))
    .div(1_000_000);
}

/** Returns the seconds of audio that a provider bills for `audioSeconds`, after rounding and minimum. */
export function billedAudioSeconds(price: AudioPrice, audioSeconds: number): number {
  const increments = Math.ceil(audioSeconds / price.incrementSeconds);

  return Math.max(price.minimumSeconds, increments * price.incrementSeconds);
}

function wholeCount(field: string, value: number | undefined): number {
  if (value === undefined) {
    return 0;
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidAiUsageError(field, value, 'a whole number of at least 0');
  }

  return value;
}

function audioLength(value: number | undefined): number {
  if (value === undefined) {
    return 0;
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidAiUsageError('audioSeconds', value, 'a finite number of seconds of at least 0');
  }

  return value;
}
