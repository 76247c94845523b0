import Decimal from 'decimal.js';
import { AI_PRICES, tokenCost } from '../lib/ai/pricing';

/** AI cost per 1,000 text messages that the benchmark aims to stay under, in US dollars. */
export const AI_COST_TARGET_USD_PER_1000 = 0.05;

/** Model that the estimate prices by default: the cheapest chat model in AI_PRICES. */
export const DEFAULT_BENCH_MODEL = 'gpt-4o-mini';

/** Average tokens of one categorization call, as the provider reports them. */
export interface AverageTokens {
  inputTokens: number;
  outputTokens: number;
}

/** Result of {@link benchAiCost}. */
export interface AiCostEstimate {
  /** AI cost of 1,000 text messages in US dollars, rounded to 6 decimals for printing. */
  usdPer1000: number;
  /** The same amount as an exact decimal string. */
  usdPer1000Exact: string;
  /** Whether the estimate stays under {@link AI_COST_TARGET_USD_PER_1000}. */
  meetsTarget: boolean;
  model: string;
  /** Day the list prices were taken. */
  pricesAsOf: string;
  /** Derivation of the number from the inputs, to print beside it. */
  method: string;
}

/**
 * Estimates the AI cost of 1,000 text messages at list prices: the messages that the local parser cannot
 * handle alone, `(1 - shareWithoutAi) * 1,000`, each cost one chat call of `averages` tokens of `model`.
 * Voice notes and receipts are left out, because their share of messages is not measured.
 * @throws RangeError for a share outside 0 to 1, negative averages, or a model not billed per token.
 */
export function benchAiCost(
  shareWithoutAi: number,
  averages: AverageTokens,
  model: string = DEFAULT_BENCH_MODEL,
): AiCostEstimate {
  if (!(shareWithoutAi >= 0 && shareWithoutAi <= 1)) {
    throw new RangeError(
      `Share of messages without AI ${shareWithoutAi} is invalid: expected a number from 0 to 1.`,
    );
  }
  if (!(averages.inputTokens >= 0 && averages.outputTokens >= 0)) {
    throw new RangeError(
      `Average tokens ${JSON.stringify(averages)} are invalid: expected input and output tokens of at least 0.`,
    );
  }
  const price = AI_PRICES.models[`openai/${model}`];
  if (price?.billing !== 'tokens') {
    throw new RangeError(
      `Model ${model} has no token price in AI_PRICES: pick a chat model such as gpt-4o-mini.`,
    );
  }

  const messagesWithAi = new Decimal(1).sub(shareWithoutAi).mul(1_000);
  const perCall = tokenCost(price, averages.inputTokens, averages.outputTokens);
  const usdPer1000 = messagesWithAi.mul(perCall);

  return {
    usdPer1000: usdPer1000.toDecimalPlaces(6).toNumber(),
    usdPer1000Exact: usdPer1000.toString(),
    meetsTarget: usdPer1000.lessThan(AI_COST_TARGET_USD_PER_1000),
    model,
    pricesAsOf: AI_PRICES.asOf,
    method:
      `${messagesWithAi.toDecimalPlaces(1).toString()} of 1,000 messages need AI (share without AI ` +
      `${new Decimal(shareWithoutAi).toDecimalPlaces(4).toString()}); each is one ` +
      `${model} call of ${averages.inputTokens} input and ${averages.outputTokens} output tokens at ` +
      `$${price.inputUsdPerMillion} and $${price.outputUsdPerMillion} per million tokens (list prices as of ` +
      `${AI_PRICES.asOf}); voice notes and receipts are not included.`,
  };
}
