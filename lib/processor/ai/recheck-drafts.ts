import type { AiTransaction } from '../../ai/answer-validation';
import { AmountPrecisionError, toMinorUnits } from '../../domain/money';
import type { Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import { parseMessage } from '../../parsing/parse-message';
import type { TransactionChanges } from '../../store/transaction-store';
import { monthOf } from '../calendar';
import type { HandlerContext } from '../handlers/context';
import { transactionButtons } from '../keyboards';
import { budgetAllows, meterUsage, unavailableReason } from './understand-text';

/** Maximum drafts re-checked after one message, so one message never pays for a long backlog. */
export const MAX_RECHECKS_PER_MESSAGE = 3;

/** Outcome of one re-check, for the log line. */
type RecheckOutcome = 'updated' | 'rejected' | 'unavailable' | 'budget' | 'skipped';

/** Returns the first day of the month before the one starting on `firstDay` (`YYYY-MM-01`). */
function previousMonthStart(firstDay: string): string {
  const year = Number(firstDay.slice(0, 4));
  const month = Number(firstDay.slice(5, 7));
  const previous = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };

  return `${previous.year}-${String(previous.month).padStart(2, '0')}-01`;
}

/**
 * Turns a validated AI transaction into the changes of the draft, or `undefined` when its amount has more
 * decimals than the currency allows.
 */
function changesFrom(answer: AiTransaction): TransactionChanges | undefined {
  let amountMinor: number;
  try {
    amountMinor = toMinorUnits(answer.amount, answer.currency);
  } catch (error) {
    if (error instanceof AmountPrecisionError) {
      return undefined;
    }
    throw error;
  }

  return {
    kind: answer.kind,
    amountMinor,
    currency: answer.currency,
    category: answer.category,
    date: answer.date,
    ...(answer.merchant === null ? {} : { merchant: answer.merchant }),
  };
}

/**
 * Re-checks the user's drafts that were stored while the AI was unavailable (`needsAiReview`), after the AI
 * returned a validated transaction for a new message. It re-checks up to {@link MAX_RECHECKS_PER_MESSAGE}
 * drafts of the current and previous month, oldest first. A validated result updates the draft, which stays pending for the user to confirm, and
 * the user gets a new reply in `event.chatId` that shows it with its buttons.
 *
 * The review mark and text are removed after a validated or rejected result, because the user has the draft
 * either way. They stay when OpenAI is unavailable again or the budget is spent, and the re-check stops
 * there, and the next message that the AI reads tries again. A draft that is no longer pending or has no
 * stored text loses its mark without a call.
 */
export async function recheckDrafts(
  event: { eventKey: string; chatId: string },
  context: HandlerContext,
): Promise<void> {
  const { dependencies, user } = context;
  if (dependencies.ai?.categorizer === undefined) {
    return;
  }

  const month = monthOf(new Date(dependencies.now()), user.timeZone);
  const listed = await dependencies.transactions.listByDate(
    user.userId,
    previousMonthStart(month.firstDay),
    month.lastDay,
  );
  const drafts = listed
    .filter((transaction) => transaction.needsAiReview === true)
    .sort((left, right) => left.createdAtEpochMs - right.createdAtEpochMs)
    .slice(0, MAX_RECHECKS_PER_MESSAGE);

  for (const draft of drafts) {
    const outcome = await recheckDraft(draft, event.chatId, context);
    dependencies.logger.info('Re-checked a draft with the AI', {
      eventKey: event.eventKey,
      transactionId: draft.transactionId,
      outcome,
    });
    if (outcome === 'unavailable' || outcome === 'budget') {
      return;
    }
  }
}

async function recheckDraft(
  draft: Transaction,
  chatId: string,
  context: HandlerContext,
): Promise<RecheckOutcome> {
  const { dependencies, reply, user } = context;
  const ai = dependencies.ai!;
  const categorizer = ai.categorizer!;
  const text = draft.reviewText;
  if (draft.status !== 'pending' || text === undefined) {
    await dependencies.transactions.finishAiReview(user.userId, draft.transactionId, {});
    return 'skipped';
  }
  if (!(await budgetAllows('categorize', ai.categorizeEstimateUsd, user, dependencies))) {
    return 'budget';
  }

  // The draft was created while its message was processed, so that time replaces the unknown send time.
  const referenceTime = new Date(draft.createdAtEpochMs);
  const understanding = await categorizer.understand(text, {
    homeCurrency: user.homeCurrency,
    timeZone: user.timeZone,
    referenceTime,
    localParse: parseMessage(text, {
      referenceTime,
      timeZone: user.timeZone,
      homeCurrency: user.homeCurrency,
    }),
    corrections: user.categoryCorrections ?? [],
  });
  await meterUsage(understanding.usage, user, dependencies);
  if (understanding.outcome === 'rejected' && understanding.reason === 'unavailable') {
    ai.meter.fallback('categorize', unavailableReason(understanding.error));
    return 'unavailable';
  }

  const changes = understanding.outcome === 'understood' ? changesFrom(understanding.result) : undefined;
  if (changes === undefined) {
    ai.meter.fallback('categorize', 'invalid-answer');
    await dependencies.transactions.finishAiReview(user.userId, draft.transactionId, {});
    return 'rejected';
  }

  // The new reply becomes the draft's reply, so an edit of the user's message updates that one.
  const updated = await dependencies.transactions.finishAiReview(user.userId, draft.transactionId, {
    ...changes,
    replyMarkerKey: reply.nextMarkerKey(),
  });
  if (updated === undefined) {
    // Deleted, or re-checked by another message in the meantime.
    return 'skipped';
  }
  await reply.send(chatId, { text: en.draftRechecked(updated), buttons: transactionButtons(updated) });

  return 'updated';
}
