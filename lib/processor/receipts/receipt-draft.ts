import type { MessageId } from '../../channels/channel';
import { AmountPrecisionError, toMinorUnits } from '../../domain/money';
import type { Transaction } from '../../domain/transaction';
import type { Channel } from '../../domain/user';
import { en } from '../../messages/en';
import { findCategory } from '../../parsing/category-keywords';
import { civilDateAt, formatCivilDate } from '../../parsing/civil-date';
import type { ArchivedReceipt } from '../../receipts/archive';
import type { OcrResult } from '../../receipts/ocr/engine';
import { parseReceipt } from '../../receipts/parse-receipt';
import { convertTransaction } from '../conversion';
import type { HandlerContext } from '../handlers/context';
import { transactionIdFor } from '../proposal';

/** The message a receipt image came in. */
export interface ReceiptSource {
  /** Idempotency key of the message; the draft's id is derived from it. */
  eventKey: string;
  channel: Channel;
  chatId: string;
  messageId: MessageId;
  sentAt: Date;
  /** The message's caption, or the album's. */
  caption?: string;
}

/** Maximum length of a caption kept as a draft's description. A longer caption is cut off. */
const MAX_CAPTION_DESCRIPTION = 120;

/**
 * Parses the text read from a receipt into a draft expense that waits for the user's confirmation. The
 * caption, when there is one, becomes the description and picks the category when the merchant does not.
 * Returns the reply for the user instead when the receipt has no readable total.
 */
export function draftFromReceipt(
  ocr: OcrResult,
  source: ReceiptSource,
  archived: ArchivedReceipt | undefined,
  context: Pick<HandlerContext, 'dependencies' | 'user'>,
): { draft: Transaction } | { reply: string } {
  const { dependencies, user } = context;
  const today = formatCivilDate(civilDateAt(source.sentAt, user.timeZone));
  const receipt = parseReceipt(ocr.text, {
    homeCurrency: user.homeCurrency,
    referenceDate: today,
    timeZone: user.timeZone,
  });
  dependencies.logger.info('Read receipt', {
    eventKey: source.eventKey,
    provider: ocr.usage.provider,
    textLength: ocr.text.length,
    items: receipt.items.length,
    foundTotal: receipt.total !== null,
    confidence: receipt.confidence,
    warnings: receipt.warnings,
  });
  if (receipt.total === null || receipt.currency === null) {
    return { reply: en.receiptNoTotal() };
  }
  let amountMinor: number;
  try {
    amountMinor = toMinorUnits(receipt.total, receipt.currency);
  } catch (error) {
    if (!(error instanceof AmountPrecisionError)) {
      throw error;
    }
    return { reply: en.receiptNoTotal() };
  }

  const nowMs = dependencies.now();
  const merchant = receipt.merchant ?? undefined;
  const caption = source.caption?.trim().slice(0, MAX_CAPTION_DESCRIPTION) || undefined;
  const category =
    (merchant === undefined ? undefined : findCategory(merchant)?.category) ??
    (caption === undefined ? undefined : findCategory(caption)?.category);

  return {
    draft: {
      userId: user.userId,
      transactionId: transactionIdFor(source.eventKey, 0),
      kind: 'expense',
      amountMinor,
      currency: receipt.currency,
      date: receipt.date ?? today,
      ...(merchant === undefined ? {} : { merchant }),
      description: caption ?? (merchant === undefined ? 'receipt' : `receipt from ${merchant}`),
      ...(category === undefined ? {} : { category }),
      status: 'pending',
      confidence: receipt.confidence,
      source: { channel: source.channel, chatId: source.chatId, messageId: source.messageId },
      ...(archived === undefined ? {} : { receipt: { ...archived, itemCount: receipt.items.length } }),
      createdAtEpochMs: nowMs,
      updatedAtEpochMs: nowMs,
    },
  };
}

/**
 * Stores a receipt draft, converted to the user's home currency when it is in another one. A redelivered
 * message finds the draft it stored before and returns that one.
 */
export async function storeReceiptDraft(
  draft: Transaction,
  context: Pick<HandlerContext, 'dependencies' | 'user'>,
  replyMarkerKey?: string,
): Promise<Transaction> {
  const { dependencies, user } = context;
  const conversion = await convertTransaction(draft, user.homeCurrency, dependencies);
  const { transaction } = await dependencies.transactions.create({
    ...draft,
    ...(conversion === undefined ? {} : { conversion }),
    ...(replyMarkerKey === undefined ? {} : { replyMarkerKey }),
  });

  return transaction;
}
