import type { MediaReference } from '../../channels/channel';
import { AmountPrecisionError, toMinorUnits } from '../../domain/money';
import type { ReceiptAttachment, Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import type { AiFallbackReason } from '../../observability/metric-names';
import { findCategory } from '../../parsing/category-keywords';
import { civilDateAt, formatCivilDate } from '../../parsing/civil-date';
import type { ArchivedReceipt } from '../../receipts/archive';
import { sniffImageType } from '../../receipts/image-input';
import type { OcrEngine, OcrResult } from '../../receipts/ocr/engine';
import { OcrImageError } from '../../receipts/ocr/errors';
import { parseReceipt } from '../../receipts/parse-receipt';
import type { ReceiptParse } from '../../receipts/types';
import { CircuitOpenError } from '../../resilience/errors';
import { budgetAllows, isPermanentFailure, meterUsage } from '../ai/understand-text';
import type { MediaEvent } from '../chat-event';
import { convertTransaction } from '../conversion';
import { transactionIdFor } from '../proposal';
import type { HandlerContext } from './context';
import { transactionView } from './record';
import { downloadFailureReply, type MediaDownloader } from './voice';

/** Image types the OCR engines read. HEIC, which iPhones send as documents, is not among them. */
const READABLE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/tiff', 'image/bmp']);

/** Returns whether a media message may be a receipt: a photo, or an image sent as a document. */
export function isReceiptImage(event: Pick<MediaEvent, 'mediaKind' | 'media'>): boolean {
  return (
    event.mediaKind === 'photo' ||
    (event.mediaKind === 'document' && (event.media?.mimeType ?? '').toLowerCase().startsWith('image/'))
  );
}

/**
 * Reads the image with the paid engine while the user's daily budget allows and the engine responds, and
 * with offline OCR otherwise. The meter counts each fallback. Returns `undefined` when the budget is spent
 * and no offline engine runs here, and `unavailable` when the provider rejected the request and no offline
 * engine can take over.
 */
async function recognize(
  image: { bytes: Uint8Array; mimeType: string },
  context: HandlerContext,
): Promise<OcrResult | 'unavailable' | undefined> {
  const { dependencies, user } = context;
  const ai = dependencies.ai!;
  const offline = ai.offlineOcr;
  // Offline OCR costs nothing, so only the paid engine checks the budget.
  let engine: OcrEngine | undefined = ai.ocr ?? offline;
  if (engine === ai.ocr && !(await budgetAllows('ocr', ai.ocrEstimateUsd, user, dependencies))) {
    engine = offline;
  }
  if (engine === undefined) {
    return undefined;
  }

  try {
    const [result] = await engine.recognize([image]);
    return result!;
  } catch (error) {
    if (engine !== offline && offline === undefined && isPermanentFailure(error)) {
      // A rejected key or request and no offline engine here: retrying the record cannot help.
      ai.meter.fallback('ocr', 'error');
      dependencies.logger.warn('Receipt not read: the OCR provider rejected the request', {
        error: error instanceof Error ? error.name : 'unknown',
      });
      return 'unavailable';
    }
    if (engine === offline || offline === undefined || error instanceof OcrImageError) {
      throw error;
    }
    const reason: AiFallbackReason = error instanceof CircuitOpenError ? 'breaker-open' : 'error';
    ai.meter.fallback('ocr', reason);
    dependencies.logger.warn('Receipt OCR failed; reading it offline', {
      error: error instanceof Error ? error.name : 'unknown',
    });
    const [result] = await offline.recognize([image]);
    return result!;
  }
}

/** Builds a draft expense from a read receipt, waiting for the user's confirmation. */
function draftFromReceipt(
  receipt: ReceiptParse & { total: string; currency: string },
  amountMinor: number,
  event: MediaEvent,
  context: HandlerContext,
  attachment: ReceiptAttachment | undefined,
): Transaction {
  const nowMs = context.dependencies.now();
  const merchant = receipt.merchant ?? undefined;
  const today = formatCivilDate(civilDateAt(event.sentAt, context.user.timeZone));

  return {
    userId: context.user.userId,
    transactionId: transactionIdFor(event.eventKey, 0),
    kind: 'expense',
    amountMinor,
    currency: receipt.currency,
    date: receipt.date ?? today,
    ...(merchant === undefined ? {} : { merchant }),
    description: merchant === undefined ? 'receipt' : `receipt from ${merchant}`,
    ...(merchant === undefined ? {} : { category: findCategory(merchant)?.category }),
    status: 'pending',
    confidence: receipt.confidence,
    source: { channel: event.sender.channel, chatId: event.chatId, messageId: event.messageId },
    ...(attachment === undefined ? {} : { receipt: attachment }),
    createdAtEpochMs: nowMs,
    updatedAtEpochMs: nowMs,
  };
}

/**
 * Turns a receipt photo into a draft expense: "📷 Processing your receipt…" at once, then the image is
 * downloaded, archived in S3 (channel file ids do not last), read with OCR and parsed, and the draft with
 * its confirm and edit buttons replaces the processing message. A receipt without a readable total asks
 * the user to type it.
 */
export async function handleReceipt(
  event: MediaEvent,
  media: MediaReference,
  channel: MediaDownloader,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const ai = dependencies.ai!;
  const placeholder = await reply.send(event.chatId, { text: en.processingReceipt() });
  const target = { chatId: event.chatId, messageId: placeholder.messageId };

  let bytes: Uint8Array;
  try {
    bytes = (await channel.downloadMedia(media, ai.maxImageBytes)).bytes;
  } catch (error) {
    const tooLarge = downloadFailureReply(error);
    if (tooLarge === undefined) {
      throw error;
    }
    await reply.replace(target, { text: tooLarge });
    return;
  }
  const mimeType = sniffImageType(bytes) ?? media.mimeType ?? 'application/octet-stream';
  if (!READABLE_IMAGE_TYPES.has(mimeType)) {
    await reply.replace(target, { text: en.receiptFormatNotSupported(mimeType) });
    return;
  }

  const archived: ArchivedReceipt | undefined = await ai.receiptArchive?.put({
    userId: user.userId,
    bytes,
    mimeType,
  });
  const ocr = await recognize({ bytes, mimeType }, context);
  if (ocr === undefined || ocr === 'unavailable') {
    await reply.replace(target, {
      text: ocr === undefined ? en.receiptBudgetSpent() : en.receiptUnavailable(),
    });
    return;
  }
  await meterUsage(ocr.usage, user, dependencies);
  const receipt = parseReceipt(ocr.text, {
    homeCurrency: user.homeCurrency,
    referenceDate: formatCivilDate(civilDateAt(event.sentAt, user.timeZone)),
    timeZone: user.timeZone,
  });
  dependencies.logger.info('Read receipt', {
    eventKey: event.eventKey,
    provider: ocr.usage.provider,
    textLength: ocr.text.length,
    items: receipt.items.length,
    foundTotal: receipt.total !== null,
    confidence: receipt.confidence,
    warnings: receipt.warnings,
  });
  if (receipt.total === null || receipt.currency === null) {
    await reply.replace(target, { text: en.receiptNoTotal() });
    return;
  }
  let amountMinor: number;
  try {
    amountMinor = toMinorUnits(receipt.total, receipt.currency);
  } catch (error) {
    if (!(error instanceof AmountPrecisionError)) {
      throw error;
    }
    await reply.replace(target, { text: en.receiptNoTotal() });
    return;
  }

  const attachment = archived === undefined ? undefined : { ...archived, itemCount: receipt.items.length };
  const candidate = draftFromReceipt(
    { ...receipt, total: receipt.total, currency: receipt.currency },
    amountMinor,
    event,
    context,
    attachment,
  );
  const conversion = await convertTransaction(candidate, user.homeCurrency, dependencies);
  const { transaction } = await dependencies.transactions.create({
    ...candidate,
    ...(conversion === undefined ? {} : { conversion }),
    replyMarkerKey: reply.nextMarkerKey(),
  });
  await reply.replace(target, transactionView(transaction));
}
