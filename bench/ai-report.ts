/**
 * The AI sections of `npm run bench`: the share of messages answered without OpenAI with the AI cost per
 * 1,000 messages that follows, and the receipt parser's accuracy and speed. Each prints a Markdown table
 * with the method above it.
 */
import { relative } from 'node:path';
import { DEFAULT_OPENAI_MODEL } from '../lib/config/ai';
import { formatReceiptAccuracyTable } from '../lib/receipts/accuracy';
import { AI_COST_TARGET_USD_PER_1000, benchAiCost } from './ai-cost';
import { benchAiShare, PARSER_CORPUS } from './ai-share';
import { benchReceiptParser, RECEIPT_LABELS } from './receipts';
import { ms } from './stats';

/** Models that the AI cost section prices: the processor's default and the cheaper gpt-4o-mini. */
export const BENCH_CHAT_MODELS = [DEFAULT_OPENAI_MODEL, 'gpt-4o-mini'] as const;

/** Prints the share of the parser corpus answered without AI and the AI cost per 1,000 messages per model. */
export function printAiCostSection(): void {
  console.log(
    `Messages answered without AI: needsAi(parseMessage(text, …)) over ${relative('.', PARSER_CORPUS)}, each message with its ` +
      'own reference time, time zone and home currency. Tokens per categorize call: the real prompt of each message ' +
      'that needs AI (buildCategorizeMessages, no corrections, response schema included) counted with ' +
      'estimatePromptTokens, and its labeled answer as JSON counted with countTextTokens.',
  );
  console.log(
    '| model | messages | answered without AI | avg input tokens | avg input tokens, 20 corrections | avg output tokens | USD per 1,000 messages | 20 corrections | under $0.05 |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const methods: string[] = [];
  for (const model of BENCH_CHAT_MODELS) {
    const share = benchAiShare(model);
    const estimate = benchAiCost(share.shareWithoutAi, share.averages, model);
    const withCorrections = benchAiCost(
      share.shareWithoutAi,
      { ...share.averages, inputTokens: share.inputTokensWithMaxCorrections },
      model,
    );
    const percent = `${share.withoutAi}/${share.messages} (${(share.shareWithoutAi * 100).toFixed(1)}%)`;
    console.log(
      `| ${model} | ${share.messages} | ${percent} | ${share.averages.inputTokens} | ` +
        `${share.inputTokensWithMaxCorrections} | ${share.averages.outputTokens} | ${estimate.usdPer1000.toFixed(5)} | ` +
        `${withCorrections.usdPer1000.toFixed(5)} | ${estimate.meetsTarget ? 'yes' : 'no'} |`,
    );
    methods.push(`${model}: ${estimate.method}`);
  }
  console.log(`Target: under $${AI_COST_TARGET_USD_PER_1000} of AI per 1,000 text messages.`);
  for (const method of methods) {
    console.log(method);
  }
}

/** Prints the receipt parser's accuracy per field on the labeled OCR texts and its time per receipt. */
export function printReceiptSection(rounds: number): void {
  const result = benchReceiptParser(rounds);
  console.log(
    `Receipt parser on ${result.receipts} labeled OCR texts (${relative('.', RECEIPT_LABELS)}); time: ${rounds} rounds over every ` +
      'receipt after one warm-up round, each round divided by the number of receipts',
  );
  console.log(formatReceiptAccuracyTable(result.report));
  console.log(
    `Parse time per receipt: median ${ms(result.timing.medianMs)}, p95 ${ms(result.timing.p95Ms)}, mean ${ms(result.timing.meanMs)}`,
  );
}
