import type { AiTransaction } from '../../ai/answer-validation';
import { needsAi } from '../../ai/needs-ai';
import { OpenAiQuotaExceededError } from '../../ai/openai/errors';
import type { AiOperation, AiUsage } from '../../ai/usage';
import type { User } from '../../domain/user';
import type { AiFallbackReason } from '../../observability/metric-names';
import type { ParseResult } from '../../parsing/types';
import { CircuitOpenError } from '../../resilience/errors';
import { classifyFailure } from '../../resilience/failure';
import type { ProcessorDependencies } from '../dependencies';

/** Confidence given to an AI response that passed validation: above the save threshold, so it is saved. */
export const AI_ANSWER_CONFIDENCE = 0.8;

/**
 * How a message was understood:
 * - `local`: the local parser was sure, or no AI is configured.
 * - `ai`: the AI's validated response replaced the local parse.
 * - `fallback`: the AI was called but its response was rejected, or the budget was spent, so the local parse is kept.
 * - `draft`: the AI was unavailable (breaker open, quota, error), so the local parse is kept as a draft that
 *   waits for confirmation and is marked for a re-check.
 */
export type UnderstandingSource = 'local' | 'ai' | 'fallback' | 'draft';

/** A parse result and where it came from. */
export interface UnderstoodText {
  parse: ParseResult;
  source: UnderstandingSource;
}

/** Turns a validated AI response into the shape of a local parse, so the proposal rules apply unchanged. */
function parseFromAnswer(answer: AiTransaction, local: ParseResult): ParseResult {
  return {
    kind: answer.kind,
    amount: answer.amount,
    currency: answer.currency,
    date: answer.date,
    merchant: answer.merchant,
    description: answer.description,
    category: answer.category,
    confidence: AI_ANSWER_CONFIDENCE,
    flags: ['ai'],
    ...(local.original === undefined ? {} : { original: local.original }),
  };
}

/** Returns the `AiFallbacks` reason for an error of an unavailable AI call: quota, open breaker or other. */
export function unavailableReason(error: unknown): AiFallbackReason {
  if (error instanceof OpenAiQuotaExceededError) {
    return 'quota';
  }
  return error instanceof CircuitOpenError ? 'breaker-open' : 'error';
}

/**
 * Returns whether retrying the record cannot help a provider failure: a 4xx such as a rejected key, or an
 * error marked as not retryable. Such failures get a reply instead of filling the dead-letter queue.
 */
export function isPermanentFailure(error: unknown): boolean {
  const retryable = (error as { retryable?: unknown } | undefined)?.retryable;
  if (typeof retryable === 'boolean') {
    return !retryable;
  }

  return classifyFailure(error) === 'caller-error';
}

/**
 * Records an AI call's usage on the meter and the user's daily budget. Metering never fails the message:
 * a budget write that fails is logged.
 */
export async function meterUsage(
  usage: AiUsage | undefined,
  user: Pick<User, 'userId'>,
  dependencies: Pick<ProcessorDependencies, 'ai' | 'logger'>,
): Promise<void> {
  const ai = dependencies.ai;
  if (usage === undefined || ai === undefined) {
    return;
  }
  ai.meter.record(usage);
  try {
    await ai.budget?.spend(user.userId, usage);
  } catch (error) {
    dependencies.logger.warn('Could not add an AI call to the user’s daily spend', {
      operation: usage.operation,
      error: error instanceof Error ? error.name : String(error),
    });
  }
}

/** Returns whether the user's daily AI budget allows one more call estimated at `estimateUsd`. */
export async function budgetAllows(
  operation: AiOperation,
  estimateUsd: string,
  user: Pick<User, 'userId'>,
  dependencies: Pick<ProcessorDependencies, 'ai'>,
): Promise<boolean> {
  const ai = dependencies.ai;
  if (ai?.budget === undefined) {
    return true;
  }

  return ai.budget.allow(user.userId, estimateUsd, { meter: ai.meter, operation });
}

/**
 * Reads a message with the local parser first and calls the AI only when the parser is unsure (see
 * `needsAi`) and the user's daily budget allows. Whatever happens with the AI, the message gets a reply:
 * from the validated AI response, or from the local parse.
 */
export async function understandText(
  text: string,
  local: ParseResult,
  context: { user: User; sentAt: Date; eventKey: string },
  dependencies: Pick<ProcessorDependencies, 'ai' | 'logger'>,
): Promise<UnderstoodText> {
  const ai = dependencies.ai;
  if (ai?.categorizer === undefined || !needsAi(local)) {
    return { parse: local, source: 'local' };
  }
  if (!(await budgetAllows('categorize', ai.categorizeEstimateUsd, context.user, dependencies))) {
    dependencies.logger.info('Daily AI budget spent, using the local parse', {
      eventKey: context.eventKey,
    });
    return { parse: local, source: 'fallback' };
  }

  let understanding: Awaited<ReturnType<NonNullable<typeof ai.categorizer>['understand']>>;
  try {
    understanding = await ai.categorizer.understand(text, {
      homeCurrency: context.user.homeCurrency,
      timeZone: context.user.timeZone,
      referenceTime: context.sentAt,
      localParse: local,
      corrections: context.user.categoryCorrections ?? [],
    });
  } catch (error) {
    // The categorizer reports OpenAI failures as rejections. What still throws (the key cannot be loaded,
    // for example) also leaves the AI unavailable, and the message still gets a reply.
    ai.meter.fallback('categorize', unavailableReason(error));
    dependencies.logger.warn('AI call failed, using the local parse', {
      eventKey: context.eventKey,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return { parse: local, source: 'draft' };
  }
  await meterUsage(understanding.usage, context.user, dependencies);
  if (understanding.outcome === 'understood') {
    return { parse: parseFromAnswer(understanding.result, local), source: 'ai' };
  }

  const unavailable = understanding.reason === 'unavailable';
  ai.meter.fallback('categorize', unavailable ? unavailableReason(understanding.error) : 'invalid-answer');
  dependencies.logger.info('AI response rejected, using the local parse', {
    eventKey: context.eventKey,
    reason: understanding.reason,
  });

  return { parse: local, source: unavailable ? 'draft' : 'fallback' };
}
