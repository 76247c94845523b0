import type { Category } from './categories';
import type { Channel } from './user';

/** Direction of a stored transaction. The amount is always non-negative. */
export type StoredKind = 'expense' | 'income' | 'refund';

/**
 * Lifecycle of a stored transaction:
 * `saved` (recorded from a confident parse), `pending` (proposal waiting for the user's confirmation,
 * not counted in totals) and `confirmed` (the user pressed Confirm).
 */
export type TransactionStatus = 'saved' | 'pending' | 'confirmed';

/** Origin of a transaction: the channel message it was recorded from, so an edit of it updates it. */
export interface TransactionSource {
  channel: Channel;
  chatId: string;
  messageId: number;
}

/** A recorded transaction. Amounts are integer minor units of `currency` (1250 = 12.50 EUR, 1200 = 1200 JPY). */
export interface Transaction {
  userId: string;
  transactionId: string;
  kind: StoredKind;
  amountMinor: number;
  currency: string;
  /** Local date in the user's time zone, `YYYY-MM-DD`. */
  date: string;
  merchant?: string;
  description: string;
  /** Missing until the parser or the user picks one. */
  category?: Category;
  status: TransactionStatus;
  /** Parser confidence at creation, 0 to 1. */
  confidence: number;
  source: TransactionSource;
  /** The same amount as written in another currency, for example `19.99 USD` beside `896.41 UAH`. */
  original?: { amount: string; currency: string };
  /**
   * Key of the "reply sent" marker of the bot message that shows this transaction. The marker contains the
   * message id, so an edit of the user's message can update that reply in place.
   */
  replyMarkerKey?: string;
  createdAtEpochMs: number;
  updatedAtEpochMs: number;
}
