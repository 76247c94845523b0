import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { RetryBudgetExceededError } from '../../resilience/errors';
import { rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { estimatePromptTokens, requestTokenCost, type TokenizedMessage } from '../tokens';
import { OpenAiQuotaExceededError, QUOTA_RETRY_AFTER_MS, toOpenAiError } from './errors';

/** Breaker key and metrics dimension of every OpenAI call. */
export const OPENAI_DEPENDENCY = 'openai';

/** Options of {@link OpenAiClient}. */
export interface OpenAiClientOptions {
  apiKey: string;
  /** The API's base URL, such as the fake's `http://127.0.0.1:<port>/v1`. Default: OpenAI's. */
  baseURL?: string;
  /**
   * Time one HTTP attempt may take, in milliseconds. Keep it below the processor's Lambda timeout and the
   * queue's visibility timeout, so a slow attempt fails before the message is delivered again.
   */
  timeoutMs: number;
  caller: ResilientCaller;
  /** Clock in epoch milliseconds, for Retry-After dates. Default `Date.now`. */
  now?: () => number;
  /** An SDK client to use instead of one built from the options, for tests. */
  sdk?: OpenAI;
}

/** Options of one call. */
export interface OpenAiCallOptions {
  /** Time the call may take, rate-limit waits and retries included, in milliseconds. */
  budgetMs: number;
  /** The trace subsegment's operation, such as `categorize`. */
  operation: string;
}

/** The chat request fields that the client needs to know about. */
export type ChatRequest = ChatCompletionCreateParamsNonStreaming & {
  messages: TokenizedMessage[];
  max_completion_tokens: number;
};

/**
 * The `openai` package behind the resilience layer. The SDK's own retries are off (`maxRetries: 0`), so
 * the breaker sees every failure and one retry policy applies. Each call takes one token from the
 * `openai:requests` bucket and its estimated tokens from `openai:tokens`, and errors come back as the
 * typed errors of `./errors`.
 */
export class OpenAiClient {
  readonly #sdk: OpenAI;
  readonly #caller: ResilientCaller;
  readonly #now: () => number;
  readonly #timeoutMs: number;

  constructor(options: OpenAiClientOptions) {
    this.#sdk =
      options.sdk ??
      new OpenAI({
        apiKey: options.apiKey,
        baseURL: options.baseURL,
        maxRetries: 0,
        timeout: options.timeoutMs,
      });
    this.#caller = options.caller;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs;
  }

  /**
   * Sends a chat completion through the resilience layer.
   * @throws {OpenAiQuotaExceededError} when the account has no credit; not retried.
   * @throws {OpenAiRateLimitError} or {@link OpenAiUnavailableError} when retries ran out.
   * @throws {OpenAiAuthenticationError} or {@link OpenAiRequestError} at once.
   * @throws the resilience layer's `CircuitOpenError`, `DeferCallError` or `RetryBudgetExceededError`.
   */
  async chat(request: ChatRequest, options: OpenAiCallOptions): Promise<ChatCompletion> {
    const schema =
      request.response_format?.type === 'json_schema'
        ? request.response_format.json_schema.schema
        : undefined;
    const promptTokens = estimatePromptTokens(request.messages, request.model, schema);
    const tokenCost = requestTokenCost(promptTokens, request.max_completion_tokens);

    try {
      return await this.#caller.call(
        {
          dependency: OPENAI_DEPENDENCY,
          operation: options.operation,
          rateLimits: [
            ...rateLimitsFor('openai:requests'),
            ...rateLimitsFor('openai:tokens', undefined, tokenCost),
          ],
          // A chat completion changes nothing on OpenAI's side, so sending it twice is safe.
          idempotent: true,
          // A budget of an hour or more would let the quota error's wait fit, and the retry sleep through it.
          budgetMs: Math.min(options.budgetMs, QUOTA_RETRY_AFTER_MS - 1),
        },
        async () => {
          const startedAtMs = Date.now();
          try {
            return await this.#sdk.chat.completions.create(request);
          } catch (error) {
            throw toOpenAiError(error, this.#now(), Date.now() - startedAtMs >= this.#timeoutMs);
          }
        },
      );
    } catch (error) {
      // The quota error's wait never fits the budget, so the layer stops with a budget error around it.
      if (error instanceof RetryBudgetExceededError && error.cause instanceof OpenAiQuotaExceededError) {
        throw error.cause;
      }
      throw error;
    }
  }
}
