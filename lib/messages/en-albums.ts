/**
 * English replies about albums of receipt photos, kept apart from en.ts for size. A message catalog per
 * language replaces both files.
 */
import { formatMoney } from '../domain/money';
import type { Transaction } from '../domain/transaction';
import { escapeHtml } from './html';

/** One line of an album's summary: a draft read from a photo, a deleted draft, or why a photo has none. */
export type AlbumSummaryLine = { transaction: Transaction } | { deleted: true } | { reply: string };

const STATUS_MARKS: Record<Transaction['status'], string> = {
  pending: '🤔',
  saved: '✅',
  confirmed: '✅',
};

/** Shows how a draft reads in one line: amount, merchant or description, category. */
function draftLine(transaction: Transaction): string {
  const label = transaction.merchant ?? transaction.description;
  return [
    `${STATUS_MARKS[transaction.status]} <b>${escapeHtml(formatMoney(transaction.amountMinor, transaction.currency))}</b>`,
    escapeHtml(label),
    `🏷️ ${escapeHtml(transaction.category ?? 'No category yet')}`,
  ].join(' · ');
}

export const albumMessages = {
  /** Shown at once for the first photo of an album, then replaced by the album's summary. */
  processingReceipts: () => '📷 Processing your receipts…',

  /** The one reply to an album: a line per photo, in the order they were sent. */
  summary: (lines: readonly AlbumSummaryLine[], caption: string | undefined) => {
    const drafts = lines.filter((line) => 'transaction' in line).length;
    const pending = lines.filter(
      (line) => 'transaction' in line && line.transaction.status === 'pending',
    ).length;
    const heading = `📷 <b>${lines.length === 1 ? '1 photo' : `${lines.length} photos`}</b>${
      caption === undefined ? '' : ` · “${escapeHtml(caption)}”`
    }`;
    const body = lines.map((line, index) => {
      const text =
        'transaction' in line
          ? draftLine(line.transaction)
          : 'deleted' in line
            ? '🗑️ Deleted'
            : `⚠️ ${line.reply}`;
      return `${index + 1}. ${text}`;
    });
    const footer =
      pending > 0
        ? 'Tap ✅ Confirm all to save them, or open a receipt to edit it.'
        : drafts > 0
          ? 'Open a receipt to edit it.'
          : undefined;

    return [heading, ...body, ...(footer === undefined ? [] : ['', footer])].join('\n');
  },

  /** Notice after ✅ Confirm all. */
  confirmedAll: (count: number) =>
    count === 0
      ? 'Nothing left to confirm'
      : count === 1
        ? 'Confirmed 1 receipt'
        : `Confirmed ${count} receipts`,

  /** Notice when an album's summary outlived the album's record. */
  albumGone: () => 'These buttons have expired. Send the receipt again if it still needs recording.',
};

/** Labels of the album summary's buttons. */
export const albumButtons = {
  confirmAll: '✅ Confirm all',
  /** Opens the n-th draft (1-based) in its own message, with its usual buttons. */
  open: (position: number, transaction: Transaction) =>
    `🧾 ${position} · ${formatMoney(transaction.amountMinor, transaction.currency)}`,
};
