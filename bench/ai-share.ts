/**
 * Share of the labeled parser corpus that the local parser answers without OpenAI, and the tokens of the
 * categorize calls that the rest would make. `bench/run.ts` calls {@link benchAiShare} and prices the
 * result with `benchAiCost`.
 */
import { resolve } from 'node:path';
import {
  buildCategorizeMessages,
  type CategoryCorrection,
  MAX_PROMPT_CORRECTIONS,
  type RawTransactionAnswer,
  TRANSACTION_SCHEMA,
} from '../lib/ai/categorize-prompt';
import { needsAi } from '../lib/ai/needs-ai';
import { countTextTokens, estimatePromptTokens } from '../lib/ai/tokens';
import { CATEGORIES } from '../lib/domain/categories';
import { type CorpusEntry, parseCorpusEntry, readCorpus } from '../lib/parsing/accuracy';
import { civilDateAt, formatCivilDate } from '../lib/parsing/civil-date';
import type { ParseResult } from '../lib/parsing/types';
import { localWallClockToInstant } from '../lib/parsing/wall-clock';
import type { AverageTokens } from './ai-cost';

/** Default corpus; `npm run bench` runs from the repository root, as bench/receipts.ts assumes too. */
export const PARSER_CORPUS = resolve('test/fixtures/parser-corpus.jsonl');

/** Result of {@link benchAiShare} for one model's tokenizer. */
export interface AiShareResult {
  messages: number;
  /** Messages for which `needsAi(parseMessage(…))` is false. */
  withoutAi: number;
  /** `withoutAi / messages`, from 0 to 1. */
  shareWithoutAi: number;
  /**
   * Average tokens of the categorize calls of the messages that need AI: the real prompt (system and user
   * message, the response schema and the chat markup) without corrections, and the labeled answer as JSON.
   */
  averages: AverageTokens;
  /** Average input tokens of the same prompts carrying the maximum of {@link MAX_PROMPT_CORRECTIONS} corrections. */
  inputTokensWithMaxCorrections: number;
}

/**
 * Parses every corpus message with its own reference time, time zone and home currency, and counts those
 * that `needsAi` keeps local. For each of the others it counts the prompt tokens of the real categorize
 * request as `estimatePromptTokens` does for the OpenAI client. The completion tokens are those of the
 * answer that the message's label describes, serialized as the strict schema requires.
 */
export function benchAiShare(model: string, corpusFile = PARSER_CORPUS): AiShareResult {
  const entries = readCorpus(corpusFile);
  const needing = entries
    .map((entry) => ({ entry, parse: parseCorpusEntry(entry) }))
    .filter(({ parse }) => needsAi(parse));

  let inputTokens = 0;
  let inputTokensWithCorrections = 0;
  let outputTokens = 0;
  for (const { entry, parse } of needing) {
    inputTokens += promptTokens(entry, parse, [], model);
    inputTokensWithCorrections += promptTokens(entry, parse, sampleCorrections(), model);
    outputTokens += countTextTokens(JSON.stringify(labeledAnswer(entry)), model);
  }

  const calls = Math.max(1, needing.length);
  const withoutAi = entries.length - needing.length;
  return {
    messages: entries.length,
    withoutAi,
    shareWithoutAi: entries.length === 0 ? 0 : withoutAi / entries.length,
    averages: { inputTokens: round1(inputTokens / calls), outputTokens: round1(outputTokens / calls) },
    inputTokensWithMaxCorrections: round1(inputTokensWithCorrections / calls),
  };
}

function promptTokens(
  entry: CorpusEntry,
  parse: ParseResult,
  corrections: readonly CategoryCorrection[],
  model: string,
): number {
  const referenceTime = localWallClockToInstant(entry.reference_time, entry.timezone);
  const messages = buildCategorizeMessages(entry.text, {
    homeCurrency: entry.home_currency,
    timeZone: entry.timezone,
    today: formatCivilDate(civilDateAt(referenceTime, entry.timezone)),
    localParse: parse,
    corrections,
  });

  return estimatePromptTokens(messages, model, TRANSACTION_SCHEMA);
}

/** The answer that the label describes, with the message itself as the description. */
function labeledAnswer(entry: CorpusEntry): RawTransactionAnswer {
  const expected = entry.expected;
  return {
    kind: expected.kind,
    amount: expected.amount,
    currency: expected.currency,
    date: expected.date,
    merchant: expected.merchant,
    category: expected.category,
    description: entry.text,
  };
}

/** Corrections of realistic length: a two-word merchant name with each category in turn. */
function sampleCorrections(): CategoryCorrection[] {
  return Array.from({ length: MAX_PROMPT_CORRECTIONS }, (_, index) => ({
    merchant: `Corner Store ${index + 1}`,
    category: CATEGORIES[index % CATEGORIES.length]!,
  }));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
