/**
 * What one AI call used, in the units its provider bills. Every AI client returns one with its result, and
 * the cost meter turns it into cost metrics with the price table.
 */

/** Providers of AI calls. `local` is our own parser or offline OCR, which cost nothing. */
export type AiProvider = 'openai' | 'aws-transcribe' | 'google-vision' | 'local';

/** What an AI call was for; the `operation` dimension of the cost metrics. */
export type AiOperation = 'categorize' | 'insights' | 'transcribe' | 'ocr';

/** Usage of one AI call. Counts the provider does not bill in stay undefined. */
export interface AiUsage {
  provider: AiProvider;
  /** The billed model, such as `gpt-4o-mini` or `whisper-1`; `tesseract` for offline OCR. */
  model: string;
  operation: AiOperation;
  /** Prompt tokens from the provider's response, not from our own count. */
  inputTokens?: number;
  /** Completion tokens from the provider's response. */
  outputTokens?: number;
  /** Seconds of audio billed. */
  audioSeconds?: number;
  /** Images billed. */
  images?: number;
}
