/**
 * Token counts of chat requests, estimated before a call for the OpenAI tokens-per-minute bucket. Billing
 * and usage metrics use the `usage` block of the response instead, because only OpenAI's count is exact.
 */
// Only the o200k_base subpath: each encoding's rank table is bundled in full (cl100k_base adds about
// 0.95 MB to the message-processor bundle), and the package root would pull in every encoding.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/** One chat message as the tokenizer reads it. */
export interface TokenizedMessage {
  role: 'system' | 'user' | 'assistant' | 'developer';
  content: string;
}

/** The byte-pair encodings that OpenAI's chat models use. */
export type ChatEncodingName = 'o200k_base' | 'cl100k_base';

// Markup that OpenAI adds around each message and before the reply: `<|im_start|>role<|im_sep|>` plus
// `<|im_end|>`, about 3 tokens per message and 3 priming the reply (OpenAI's cookbook "How to count tokens
// with tiktoken"). gpt-tokenizer's encodeChat knows the exact markup only for the models it lists.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PRIMING_REPLY = 3;

/**
 * Returns the encoding of a chat model. gpt-4o, gpt-4.1, gpt-5 and the o-series use `o200k_base`;
 * gpt-4 (`gpt-4`, `gpt-4-turbo`, `gpt-4-0613`, …) and gpt-3.5 use `cl100k_base`. An unknown model gets
 * `o200k_base`, the encoding of every chat model released since May 2024.
 */
export function encodingForModel(model: string): ChatEncodingName {
  const name = model.toLowerCase();
  // `gpt-4o…` and `gpt-4.1…` do not start with `gpt-4-`, so they fall through to o200k_base.
  const isGpt4 = name === 'gpt-4' || name.startsWith('gpt-4-');

  return name.startsWith('gpt-3.5') || isGpt4 ? 'cl100k_base' : 'o200k_base';
}

/**
 * Counts the tokens of `text` with the `o200k_base` encoding, which is exact for the models that use it
 * (see {@link encodingForModel}). For gpt-4 and gpt-3.5, which use `cl100k_base`, the count is an estimate:
 * only `o200k_base` is bundled, and the two encodings differ by a few percent for English text and more
 * for other scripts. That is close enough for the tokens-per-minute bucket; the `usage` block of the
 * response carries the actual count. The model parameter is unused; it stays so that callers need not
 * change if an exact count per encoding is wanted again.
 */
export function countTextTokens(text: string, _model: string): number {
  return countTokens(text);
}

/**
 * Estimates the prompt tokens of a chat request: the content tokens of every message, the role name and
 * the per-message markup. Response-format schemas also count, because OpenAI adds them to the prompt.
 * For `o200k_base` models the estimate is within a few tokens of the `prompt_tokens` that OpenAI reports,
 * which is close enough for a bucket of 250,000 tokens per minute; for `cl100k_base` models it is a rougher
 * estimate (see {@link countTextTokens}).
 */
export function estimatePromptTokens(
  messages: readonly TokenizedMessage[],
  model: string,
  responseSchema?: unknown,
): number {
  let total = TOKENS_PRIMING_REPLY;
  for (const message of messages) {
    total +=
      TOKENS_PER_MESSAGE + countTextTokens(message.role, model) + countTextTokens(message.content, model);
  }
  if (responseSchema !== undefined) {
    total += countTextTokens(JSON.stringify(responseSchema), model);
  }

  return total;
}

/**
 * Returns the token cost taken from the tokens-per-minute bucket for one request: the prompt estimate plus
 * the completion limit. The reply is not known before the call, so the bucket reserves its maximum.
 */
export function requestTokenCost(promptTokens: number, maxCompletionTokens: number): number {
  return promptTokens + maxCompletionTokens;
}
