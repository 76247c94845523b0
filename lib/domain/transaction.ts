import type { MessageId } from '../channels/channel';
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
  messageId: MessageId;
}

/** Where a receipt image is archived. */
export interface ReceiptAttachment {
  bucket: string;
  key: string;
  /** Lowercase hex SHA-256 of the image. */
  sha256: string;
  mimeType: string;
  sizeBytes: number;
  /** Item lines the receipt parser found. */
  itemCount: number;
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
   * The amount in the user's home currency, or a marker that no rate was available yet. Missing on
   * transactions in the home currency, on items stored before conversion existed, when no rate table is
   * configured, and after an edit of the amount, currency or date, which removes it.
   */
  conversion?: TransactionConversion;
  /**
   * Key of the "reply sent" marker of the bot message that shows this transaction. The marker contains the
   * message id, so an edit of the user's message can update that reply in place.
   */
  replyMarkerKey?: string;
  /**
   * Set when the AI was unavailable for an unsure message: the transaction was stored from the local parse
   * as a draft (pending confirmation) and should be read again by the AI.
   */
  needsAiReview?: boolean;
  /**
   * The user's message text that a draft with `needsAiReview` was read from, so the AI can read it again.
   * It is personal data, kept only until the re-check and removed with `needsAiReview`. Missing on drafts
   * from a message with several amounts, because the AI reads one transaction per message.
   */
  reviewText?: string;
  /** The receipt image the transaction was read from, archived in S3, and how many item lines it had. */
  receipt?: ReceiptAttachment;
  createdAtEpochMs: number;
  updatedAtEpochMs: number;
}

/**
 * A transaction's amount converted to the user's home currency at save time, with the rate of the
 * transaction's date. `amountMinor` and `currency` of the transaction stay the original ones.
 */
export interface ConvertedAmount {
  status: 'converted';
  /** The home currency converted to. A later change of home currency converts again. */
  homeCurrency: string;
  /** Integer minor units of `homeCurrency`, rounded half to even once. */
  amountMinor: number;
  /** 1 unit of the transaction's currency is `rate` units of `homeCurrency`, as a decimal string. */
  rate: string;
  /** The provider of the rate, or of each leg of a cross rate joined with `+`, such as `frankfurter`. */
  provider: string;
  /** The provider's own time of the rate (ISO 8601 date-time or date), of the older leg for a cross rate. */
  providerUpdatedAt: string;
  /** The date of the rate, `YYYY-MM-DD`, from `providerUpdatedAt`. */
  rateDate: string;
  convertedAtEpochMs: number;
}

/**
 * No exchange rate was available when the transaction was converted, so it keeps only its original amount
 * and currency and is left out of home-currency totals until /balance or /stats converts it.
 */
export interface PendingConversion {
  status: 'pending';
  homeCurrency: string;
  /** Name of the error that prevented the conversion, such as `FxRateMissingError`. */
  reason: string;
  attemptedAtEpochMs: number;
}

/** The home-currency conversion of a transaction in another currency. */
export type TransactionConversion = ConvertedAmount | PendingConversion;
