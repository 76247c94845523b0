import Decimal from 'decimal.js';
import {
  type AiFallbackReason,
  DISCARDING_METRICS,
  METRICS,
  type MetricsSink,
} from '../observability/metric-names';
import { AI_PRICES, type AiPriceTable, costOf, findPrice } from './pricing';
import type { AiOperation, AiUsage } from './usage';

/** Value of the `model` dimension for a model that the price table does not contain. */
export const UNKNOWN_MODEL_DIMENSION = 'unknown';

/** Logger for the meter's warnings. Powertools Logger and `console` both fit. */
export interface CostMeterLogger {
  warn(message: string, ...extra: unknown[]): void;
}

/** Options of {@link AiCostMeter}. */
export interface AiCostMeterOptions {
  /**
   * Destination of the AI metrics.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Receives a warning for a usage that cannot be priced.
   * @default `console`
   */
  logger?: CostMeterLogger;
  /** @default AI_PRICES */
  prices?: AiPriceTable;
}

/**
 * Meters the AI calls of one invocation. {@link AiCostMeter.record} turns each call's usage into the AI
 * metrics and adds its cost to the invocation's total, {@link AiCostMeter.fallback} counts a call that
 * the local parser or offline OCR served instead, and {@link AiCostMeter.flush} records the total.
 *
 * Dimensions come only from the usage's provider, operation and price-table model, so no user id, chat id
 * or message text can reach a metric. A model that the table lacks is recorded as `unknown`.
 *
 * @example
 * const meter = new AiCostMeter({ metrics });
 * meter.record({ provider: 'openai', model: 'gpt-4o-mini', operation: 'categorize', inputTokens: 812, outputTokens: 64 });
 * meter.flush(); // AiInvocationCostUsd = 0.0001602
 */
export class AiCostMeter {
  readonly #metrics: MetricsSink;
  readonly #logger: CostMeterLogger;
  readonly #prices: AiPriceTable;
  #totalUsd = new Decimal(0);

  constructor(options: AiCostMeterOptions = {}) {
    this.#metrics = options.metrics ?? DISCARDING_METRICS;
    this.#logger = options.logger ?? console;
    this.#prices = options.prices ?? AI_PRICES;
  }

  /** Cost of the calls recorded since the last {@link AiCostMeter.flush}, in US dollars. */
  get totalUsd(): Decimal {
    return this.#totalUsd;
  }

  /**
   * Records one AI call: its token, audio and image counts (those that are set), and its cost as
   * `AiCostUsd`. A usage that cannot be priced is logged and recorded without cost, because metering must
   * not fail the request.
   * @returns the call's cost in US dollars, 0 when it could not be priced.
   */
  record(usage: AiUsage): Decimal {
    const dimensions = {
      provider: usage.provider,
      model: findPrice(usage, this.#prices)?.model ?? UNKNOWN_MODEL_DIMENSION,
      operation: usage.operation,
    };
    let cost: Decimal | undefined;
    try {
      cost = costOf(usage, this.#prices);
    } catch (error) {
      this.#logger.warn('Could not price AI usage', {
        provider: usage.provider,
        model: usage.model,
        operation: usage.operation,
        error: error instanceof Error ? error.message : String(error),
      });
    }

    this.#recordCount(METRICS.aiInputTokens, dimensions, usage.inputTokens, 'Count');
    this.#recordCount(METRICS.aiOutputTokens, dimensions, usage.outputTokens, 'Count');
    this.#recordCount(METRICS.aiAudioSeconds, dimensions, usage.audioSeconds, 'Seconds');
    this.#recordCount(METRICS.aiImages, dimensions, usage.images, 'Count');
    if (cost === undefined) {
      return new Decimal(0);
    }

    this.#metrics.record(METRICS.aiCostUsd, dimensions, cost.toNumber(), 'None');
    this.#totalUsd = this.#totalUsd.add(cost);

    return cost;
  }

  /** Counts one AI call that the local parser or offline OCR served instead, as `AiFallbacks`. */
  fallback(operation: AiOperation, reason: AiFallbackReason): void {
    this.#metrics.record(METRICS.aiFallbacks, { operation, reason });
  }

  /**
   * Records the invocation's total as `AiInvocationCostUsd` and starts the next invocation at 0. An
   * invocation without AI calls records 0 as well, so that the metric's SampleCount counts every invocation
   * and its percentiles include the ones that the local parser served alone.
   * @returns the total that was recorded, in US dollars.
   */
  flush(): Decimal {
    const total = this.#totalUsd;
    this.#metrics.record(METRICS.aiInvocationCostUsd, {}, total.toNumber(), 'None');
    this.#totalUsd = new Decimal(0);

    return total;
  }

  #recordCount(
    name: (typeof METRICS)['aiInputTokens' | 'aiOutputTokens' | 'aiAudioSeconds' | 'aiImages'],
    dimensions: { provider: string; model: string; operation: string },
    value: number | undefined,
    unit: 'Count' | 'Seconds',
  ): void {
    if (value !== undefined && Number.isFinite(value)) {
      this.#metrics.record(name, dimensions, value, unit);
    }
  }
}
