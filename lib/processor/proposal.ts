import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import type { OutgoingMessage } from '../channels/channel';
import { AmountPrecisionError, toMinorUnits } from '../domain/money';
import type { StoredKind, Transaction, TransactionSource, TransactionStatus } from '../domain/transaction';
import { en } from '../messages/en';
import type { ParseResult } from '../parsing/types';

/** Above this confidence a parsed transaction is saved at once. */
export const SAVE_THRESHOLD = 0.7;
/** From this confidence up to {@link SAVE_THRESHOLD} the bot proposes the transaction and requests confirmation. */
export const CONFIRM_THRESHOLD = 0.4;

/** Decision for a parsed message: request details, or record transactions. */
export type Proposal =
  | { outcome: 'ask'; message: OutgoingMessage }
  | { outcome: 'record'; transactions: Transaction[] };

/** Inputs besides the parse result. */
export interface ProposalContext {
  userId: string;
  /** Idempotency key of the message; transaction ids derive from it, so a retry writes the same ids. */
  eventKey: string;
  source: TransactionSource;
  nowMs: number;
  /**
   * Whether the user marked the message as a transaction with `/add`, so a message with a clear
   * amount and currency is saved even when the category is unknown.
   */
  explicit: boolean;
}

/**
 * Returns the transaction id for the n-th amount of a message: a hash of the event key, so processing the
 * same update twice can never produce two transactions.
 */
export function transactionIdFor(eventKey: string, index: number): string {
  const digest = createHash('sha256').update(eventKey).digest('base64url').slice(0, 16);

  return index === 0 ? `t${digest}` : `t${digest}-${index}`;
}

function statusFor(confidence: number, explicit: boolean): TransactionStatus {
  return confidence > SAVE_THRESHOLD || explicit ? 'saved' : 'pending';
}

/**
 * Decides from a parse result whether to save, propose or ask: above 0.7 save, 0.4 to 0.7 propose and ask
 * to confirm, below 0.4 ask for the missing details. Every amount of a message with several becomes its
 * own proposal.
 */
export function proposeTransactions(parse: ParseResult, context: ProposalContext): Proposal {
  let kind: StoredKind | undefined;
  if (parse.kind !== 'none') {
    kind = parse.kind;
  } else if (context.explicit && parse.amount !== null) {
    // `/add 12 stuff` is a transaction even when the words alone do not say so.
    kind = 'expense';
  }
  if (kind === undefined) {
    return {
      outcome: 'ask',
      message: { text: parse.amount === null ? en.notATransaction() : en.askForDetails() },
    };
  }
  if (parse.amount === null || (parse.confidence < CONFIRM_THRESHOLD && !context.explicit)) {
    return { outcome: 'ask', message: { text: en.askForDetails() } };
  }
  if (parse.currency === null) {
    return { outcome: 'ask', message: { text: en.askForCurrency(parse.amount) } };
  }

  const amounts = [{ amount: parse.amount, description: parse.description }, ...(parse.additional ?? [])];
  const status = amounts.length > 1 ? 'pending' : statusFor(parse.confidence, context.explicit);
  const transactions: Transaction[] = [];
  for (const [index, entry] of amounts.entries()) {
    let amountMinor: number;
    try {
      amountMinor = toMinorUnits(new Decimal(entry.amount).abs().toString(), parse.currency);
    } catch (error) {
      if (error instanceof AmountPrecisionError) {
        return { outcome: 'ask', message: { text: en.askToConfirmPrecision(entry.amount, parse.currency) } };
      }
      throw error;
    }
    transactions.push({
      userId: context.userId,
      transactionId: transactionIdFor(context.eventKey, index),
      kind,
      amountMinor,
      currency: parse.currency,
      date: parse.date,
      merchant: parse.merchant ?? undefined,
      description: entry.description,
      category: parse.category ?? undefined,
      status,
      confidence: parse.confidence,
      source: context.source,
      original: parse.original,
      createdAtEpochMs: context.nowMs,
      updatedAtEpochMs: context.nowMs,
    });
  }

  return { outcome: 'record', transactions };
}
