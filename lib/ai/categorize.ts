import type { ChatCompletion } from 'openai/resources/chat/completions';
import { civilDateAt, formatCivilDate } from '../parsing/civil-date';
import type { ParseResult } from '../parsing/types';
import { type ResilienceLogger, SILENT_LOGGER } from '../resilience/logger';
import { type AiTransaction, type RejectionReason, validateAnswer } from './answer-validation';
import {
  buildCategorizeMessages,
  type CategoryCorrection,
  TRANSACTION_SCHEMA,
  TRANSACTION_SCHEMA_NAME,
} from './categorize-prompt';
import { readJsonObject } from './json-repair';
import type { OpenAiClient } from './openai/client';
import type { AiUsage } from './usage';

/** Inputs of {@link AiCategorizer.understand} besides the text. */
export interface UnderstandContext {
  /** ISO 4217 code used when the text names no currency. */
  homeCurrency: string;
  /** IANA time zone of the user. */
  timeZone: string;
  /** The instant the message was sent, from which "today" and the date checks derive. */
  referenceTime: Date;
  /** The local parser's result, whose amounts the prompt passes as hints. */
  localParse?: ParseResult;
  /** The user's recent merchant corrections, the most recent first. */
  corrections: readonly CategoryCorrection[];
}

/** Why no transaction came back: a validation failure, or no usable response from the model or OpenAI. */
export type UnderstandingRejection = RejectionReason | 'unavailable' | 'refused' | 'truncated';

/** Outcome of {@link AiCategorizer.understand}. */
export type Understanding =
  | { outcome: 'understood'; result: AiTransaction; usage: AiUsage }
  | {
      outcome: 'rejected';
      reason: UnderstandingRejection;
      /** Description of the failure, for logs at DEBUG only because it may contain amounts from the message. */
      detail: string;
      /** Tokens used by the calls that returned, absent when none did. */
      usage?: AiUsage;
      /** The error of an `unavailable` rejection, such as `OpenAiQuotaExceededError` or `CircuitOpenError`. */
      error?: unknown;
    };

/** Options of {@link AiCategorizer}. */
export interface AiCategorizerOptions {
  client: Pick<OpenAiClient, 'chat'>;
  /** Chat model, such as `gpt-4.1-mini`. */
  model: string;
  /** Time each understanding may take, retries included, in milliseconds; a function reads a Lambda's remaining time. */
  budgetMs: number | (() => number);
  logger?: ResilienceLogger;
  /**
   * Upper bound of the reply's tokens. A full response is about 80 tokens.
   * @default 300
   */
  maxCompletionTokens?: number;
}

/** Model responses that are not JSON get one more request before the message falls back to the local parser. */
const MAX_REQUESTS = 2;

/**
 * Reads a message with OpenAI when the local parser is unsure (see `needsAi`). The request uses a strict
 * JSON schema, the user's text is quoted as data, and the response is repaired only in the documented ways
 * and validated before use. Any failure returns a rejection, so the caller keeps the local parse.
 */
export class AiCategorizer {
  readonly #options: AiCategorizerOptions;

  constructor(options: AiCategorizerOptions) {
    this.#options = options;
  }

  /** Requests the transaction in `text` from the model and validates the response. Never throws for OpenAI failures. */
  async understand(text: string, context: UnderstandContext): Promise<Understanding> {
    const logger = this.#options.logger ?? SILENT_LOGGER;
    const today = civilDateAt(context.referenceTime, context.timeZone);
    const messages = buildCategorizeMessages(text, {
      homeCurrency: context.homeCurrency,
      timeZone: context.timeZone,
      today: formatCivilDate(today),
      localParse: context.localParse,
      corrections: context.corrections,
    });

    let usage: AiUsage | undefined;
    let lastDetail = '';
    for (let request = 1; request <= MAX_REQUESTS; request += 1) {
      let completion: ChatCompletion;
      try {
        completion = await this.#options.client.chat(
          {
            model: this.#options.model,
            messages,
            max_completion_tokens: this.#options.maxCompletionTokens ?? 300,
            response_format: {
              type: 'json_schema',
              json_schema: { name: TRANSACTION_SCHEMA_NAME, strict: true, schema: TRANSACTION_SCHEMA },
            },
          },
          { budgetMs: this.#budgetMs(), operation: 'categorize' },
        );
      } catch (error) {
        const errorName = error instanceof Error ? error.name : typeof error;
        logger.warn('OpenAI categorization unavailable, keeping the local parse', { error: errorName });
        return { outcome: 'rejected', reason: 'unavailable', detail: errorName, usage, error };
      }
      usage = addUsage(usage, completion, this.#options.model);

      const choice = completion.choices[0];
      if (choice?.message.refusal) {
        return this.#reject(logger, 'refused', 'the model returned a refusal', usage, text);
      }
      if (choice?.finish_reason === 'length') {
        return this.#reject(logger, 'truncated', 'the reply reached max_completion_tokens', usage, text);
      }

      const parsed = readJsonObject(choice?.message.content ?? '');
      if (!parsed.ok) {
        lastDetail = parsed.detail;
        logger.info('OpenAI reply is not JSON', { request, textLength: text.length });
        continue;
      }

      const validation = validateAnswer(parsed.value, { text, homeCurrency: context.homeCurrency, today });
      if (!validation.ok) {
        return this.#reject(logger, validation.reason, validation.detail, usage, text);
      }
      logger.info('OpenAI categorization accepted', { repair: parsed.repair, textLength: text.length });
      return { outcome: 'understood', result: validation.transaction, usage };
    }

    return this.#reject(logger, 'malformed-json', lastDetail, usage, text);
  }

  #reject(
    logger: ResilienceLogger,
    reason: UnderstandingRejection,
    detail: string,
    usage: AiUsage | undefined,
    text: string,
  ): Understanding {
    // The detail may quote amounts from the message, which are personal data: DEBUG only.
    logger.info('OpenAI categorization rejected', { reason, textLength: text.length });
    logger.debug('OpenAI categorization rejected, detail', { reason, detail });

    return { outcome: 'rejected', reason, detail, usage };
  }

  #budgetMs(): number {
    const budget = this.#options.budgetMs;

    return typeof budget === 'function' ? budget() : budget;
  }
}

/** Adds a completion's reported usage to the running total of one understanding. */
function addUsage(total: AiUsage | undefined, completion: ChatCompletion, model: string): AiUsage {
  return {
    provider: 'openai',
    // The response names the exact snapshot billed, such as `gpt-4.1-mini-2025-04-14`.
    model: completion.model || model,
    operation: 'categorize',
    inputTokens: (total?.inputTokens ?? 0) + (completion.usage?.prompt_tokens ?? 0),
    outputTokens: (total?.outputTokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
  };
}
