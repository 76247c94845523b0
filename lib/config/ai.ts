import { boolean, type Env, integer, optional, url } from './environment';

/**
 * Default chat model: gpt-4.1-mini, a non-reasoning model of OpenAI's small tier. It supports strict
 * JSON-schema output, answers without hidden reasoning tokens (so cost and latency follow the visible
 * reply), and reads short, messy chat messages more reliably than the nano tier.
 */
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';

/** OpenAI's API, used unless OPENAI_BASE_URL points elsewhere, such as at the local fake. */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Source of the OpenAI API key: a Secrets Manager secret on AWS (a JSON object with `apiKey`), or a plain
 * variable on the local stack.
 */
export type OpenAiKeySource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | { kind: 'environment'; apiKey: string };

/** Settings of the OpenAI text understanding and insights. */
export interface AiConfig {
  /** Where the key comes from, or `undefined` when none is configured and the local parser works alone. */
  apiKey?: OpenAiKeySource;
  /** Base URL of the API, without a trailing slash (OPENAI_BASE_URL). */
  baseURL: string;
  /** Chat model for categorization and insights (OPENAI_MODEL). */
  model: string;
  /**
   * Time one HTTP attempt may take, in milliseconds (OPENAI_TIMEOUT_MS). It must stay below the processor's
   * Lambda timeout and its queue's visibility timeout.
   */
  timeoutMs: number;
  /** Whether /stats can add an AI summary of the month (AI_INSIGHTS). Off unless set. */
  insightsEnabled: boolean;
}

/**
 * Reads the OpenAI settings. OPENAI_SECRET_ARN wins over OPENAI_API_KEY; with neither, `apiKey` is
 * undefined and every message stays with the local parser.
 */
export function loadAiConfig(env: Env = process.env): AiConfig {
  const secretId = optional(env, 'OPENAI_SECRET_ARN');
  const localKey = optional(env, 'OPENAI_API_KEY');
  let apiKey: OpenAiKeySource | undefined;
  if (secretId !== undefined) {
    apiKey = {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  } else if (localKey !== undefined) {
    apiKey = { kind: 'environment', apiKey: localKey };
  }

  return {
    apiKey,
    baseURL: url(env, 'OPENAI_BASE_URL', DEFAULT_OPENAI_BASE_URL),
    model: optional(env, 'OPENAI_MODEL') ?? DEFAULT_OPENAI_MODEL,
    timeoutMs: integer(env, 'OPENAI_TIMEOUT_MS', 10_000, 1_000, 60_000),
    insightsEnabled: boolean(env, 'AI_INSIGHTS', false),
  };
}
