import type { Category } from '../domain/categories';

/** Direction of a parsed message. `none` means the text is not a transaction. */
export type TransactionKind = 'expense' | 'income' | 'refund' | 'none';

/** Context the parser needs to resolve currency and relative dates. */
export interface ParseContext {
  /** The instant the message was sent. Relative dates resolve from it. */
  referenceTime: Date;
  /** IANA time zone of the user, for example `Europe/Lisbon`. */
  timeZone: string;
  /** ISO 4217 code used when the text names no currency. */
  homeCurrency: string;
}

/**
 * Result of parsing one message.
 * Sign convention: `amount` is always a non-negative decimal string and `kind` carries the direction,
 * so `-500 rupees` is `{ kind: 'refund', amount: '500', currency: 'INR' }`.
 */
export interface ParseResult {
  kind: TransactionKind;
  /** Exact decimal string (for example `12.50`), or `null` when no amount was found. */
  amount: string | null;
  /** ISO 4217 code, or `null` when the currency is ambiguous (for example `kr` for a EUR user). */
  currency: string | null;
  /** Local calendar date in the user's time zone, `YYYY-MM-DD`. */
  date: string;
  merchant: string | null;
  description: string;
  category: Category | null;
  /** Score from 0 to 1. Above 0.7 the transaction is saved, from 0.4 to 0.7 the bot requests confirmation, and below 0.4 it requests details. */
  confidence: number;
  /** Machine-readable reasons that lowered the confidence, for example `ambiguous-separator`. */
  flags: string[];
  /** Further amounts found in the same message (for example `coffee 50 and snacks 20`), without the first one. */
  additional?: Array<{ amount: string; description: string }>;
  /** The amount as originally written in another currency, for example `19.99 USD` next to `896.41 UAH`. */
  original?: { amount: string; currency: string };
}
