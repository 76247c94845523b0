import { DEFAULT_OPENAI_MODEL } from '../../lib/config/ai';
import { DEFAULT_AI_DAILY_BUDGET_USD } from '../../lib/config/ai-budget';
import { TRANSCRIBER_IDS, type TranscriberId } from '../../lib/config/voice';
import { InvalidContextValueError } from './context-options';

/** Settings of the processor's AI services that the app's options set. */
export interface AiOptions {
  /**
   * Whether the processor reads the OpenAI key secret (OPENAI_SECRET_ARN), for text understanding and
   * Whisper. The app reads it from `-c ai=true`.
   * @default the stage's setting: false in dev and prod
   */
  readonly ai?: boolean;
  /**
   * Whether the processor reads the Google Cloud Vision key secret (VISION_SECRET_ARN) to read receipt
   * photos. The app reads it from `-c vision=true`.
   * @default the stage's setting: false in dev and prod
   */
  readonly vision?: boolean;
  /**
   * Whether users can turn on the AI summary of the month in /stats (AI_INSIGHTS). Takes effect only with
   * `ai` on. The app reads it from `-c aiInsights=true`.
   * @default false
   */
  readonly aiInsights?: boolean;
  /**
   * Provider of voice note transcription (TRANSCRIBER). `transcribe` adds the transcription bucket and
   * the Transcribe permissions. The app reads it from `-c transcriber=transcribe`.
   * @default 'whisper'
   */
  readonly transcriber?: TranscriberId;
  /**
   * AI spend that one user may cause per UTC day, in US dollars, such as `0.05` (AI_DAILY_BUDGET_USD). The app
   * reads it from `-c aiDailyBudgetUsd=0.10`.
   * @default '0.05', the processor's own default
   */
  readonly aiDailyBudgetUsd?: string;
  /**
   * OpenAI chat model for categorization and insights (OPENAI_MODEL). The app reads it from
   * `-c openaiModel=...`.
   * @default 'gpt-4.1-mini', the processor's own default
   */
  readonly openaiModel?: string;
}

/** Values of {@link AiOptions} that apply when an option is not set, apart from the stage's on/off settings. */
export const DEFAULT_AI_OPTIONS = {
  transcriber: 'whisper',
  aiDailyBudgetUsd: DEFAULT_AI_DAILY_BUDGET_USD,
  openaiModel: DEFAULT_OPENAI_MODEL,
} as const satisfies Pick<Required<AiOptions>, 'transcriber' | 'aiDailyBudgetUsd' | 'openaiModel'>;

// The check that lib/config applies to AI_DAILY_BUDGET_USD when the processor starts: a plain decimal
// from 0 to 100, so a bad value fails the synth instead of every processor start.
const USD_DECIMAL = /^\d+(\.\d+)?$/;
const MAX_AI_DAILY_BUDGET_USD = 100;

// OpenAI model ids are letters, digits, dots, dashes and underscores, such as gpt-4.1-mini or
// ft:gpt-4.1-mini:acme::abc123 for a fine-tuned model.
const OPENAI_MODEL = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Parses `transcriber`: one of TRANSCRIBER_IDS from lib/config/voice.
 * @returns `undefined` when the option is not set, so the default `whisper` applies.
 * @throws InvalidContextValueError for anything else.
 */
export function parseTranscriber(key: string, value: unknown): TranscriberId | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }

  const transcriber = TRANSCRIBER_IDS.find((candidate) => candidate === value);
  if (transcriber === undefined) {
    throw new InvalidContextValueError(key, value, `one of ${TRANSCRIBER_IDS.join(', ')}`);
  }

  return transcriber;
}

/**
 * Parses `aiDailyBudgetUsd`: US dollars per user and day from 0 to 100, as a number or a decimal string.
 * 0 serves every user with the local parser.
 * @returns `undefined` when the option is not set, else the amount as the decimal text that the processor reads.
 * @throws InvalidContextValueError for anything else.
 */
export function parseDailyBudgetUsd(key: string, value: unknown): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }

  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !USD_DECIMAL.test(text) || Number(text) > MAX_AI_DAILY_BUDGET_USD) {
    throw new InvalidContextValueError(
      key,
      value,
      `US dollars per user and day from 0 to ${MAX_AI_DAILY_BUDGET_USD}, such as 0.05`,
    );
  }

  return text;
}

/**
 * Parses `openaiModel`: an OpenAI model id such as `gpt-4.1-mini`.
 * @returns `undefined` when the option is not set.
 * @throws InvalidContextValueError for anything else.
 */
export function parseOpenAiModel(key: string, value: unknown): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' || !OPENAI_MODEL.test(value)) {
    throw new InvalidContextValueError(key, value, 'an OpenAI model id such as gpt-4.1-mini');
  }

  return value;
}
