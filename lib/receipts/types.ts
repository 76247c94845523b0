/** Options for {@link parseReceipt}. */
export interface ReceiptOptions {
  /** ISO 4217 code of the user's home currency, used when the receipt names no currency. */
  homeCurrency: string;
  /** The user's local date as `YYYY-MM-DD`; receipt dates after it are rejected. Default: today in `timeZone`. */
  referenceDate?: string;
  /** IANA time zone that gives "today" when `referenceDate` is missing. Default: UTC. */
  timeZone?: string;
}

/** One purchased line of a receipt. */
export interface ReceiptItem {
  description: string;
  /** Exact decimal string in major units, for example `6.40` (or `1200` for JPY). */
  amount: string;
}

/** Amounts that are not the total but are kept for the bot to show or check, each a decimal string. */
export interface ReceiptBreakdown {
  subtotal: string | null;
  tax: string | null;
  tip: string | null;
  discount: string | null;
  cash: string | null;
  change: string | null;
}

/** A draft transaction read from a receipt's OCR text. */
export interface ReceiptParse {
  merchant: string | null;
  /** `YYYY-MM-DD`. */
  date: string | null;
  /** ISO 4217 code. */
  currency: string | null;
  /** Exact decimal string in major units, for example `42.10`. */
  total: string | null;
  items: ReceiptItem[];
  /** From 0 to 1: how far the fields can be trusted without asking the user. */
  confidence: number;
  /** Machine-readable notes such as `currency-assumed-home` or `totals-mismatch`. */
  warnings: string[];
  breakdown: ReceiptBreakdown;
}

/** What a receipt line says. */
export type LineClass =
  | 'total'
  | 'subtotal'
  | 'tax'
  | 'tip'
  | 'cash'
  | 'change'
  | 'payment'
  | 'discount'
  | 'count'
  | 'info'
  | 'item'
  | 'header';
