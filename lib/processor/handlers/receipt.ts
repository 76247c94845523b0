import type { MediaReference } from '../../channels/channel';
import { en } from '../../messages/en';
import type { MediaEvent } from '../chat-event';
import { draftFromReceipt, storeReceiptDraft } from '../receipts/receipt-draft';
import { fetchReceiptImage } from '../receipts/receipt-image';
import { recognizeReceipts } from '../receipts/recognize-receipts';
import type { HandlerContext } from './context';
import { transactionView } from './record';
import type { MediaDownloader } from './voice';

export { isReceiptImage } from '../receipts/receipt-image';

/**
 * Turns one receipt photo into a draft expense. "📷 Processing your receipt…" is sent at once. The image
 * is then downloaded, archived in S3 and read with OCR. The draft with its confirm and edit buttons
 * replaces the processing message. For a receipt without a readable total, the reply requests that the user type it.
 *
 * `caption` is the message's caption, or the album's when the photo arrived after its album was read.
 */
export async function handleReceipt(
  event: MediaEvent,
  media: MediaReference,
  channel: MediaDownloader,
  context: HandlerContext,
  caption: string | undefined = event.caption,
): Promise<void> {
  const { reply } = context;
  const placeholder = await reply.send(event.chatId, { text: en.processingReceipt() });
  const target = { chatId: event.chatId, messageId: placeholder.messageId };

  const fetched = await fetchReceiptImage(media, event.eventKey, channel, context);
  if ('reply' in fetched) {
    await reply.replace(target, { text: fetched.reply });
    return;
  }
  const { image } = fetched;
  const read = await recognizeReceipts([image], event.eventKey, context);
  if ('skipped' in read) {
    await reply.replace(target, {
      text: read.skipped === 'budget-spent' ? en.receiptBudgetSpent() : en.receiptUnavailable(),
    });
    return;
  }

  const source = {
    eventKey: event.eventKey,
    channel: event.sender.channel,
    chatId: event.chatId,
    messageId: event.messageId,
    sentAt: event.sentAt,
    ...(caption === undefined ? {} : { caption }),
  };
  const drafted = draftFromReceipt(read.results[0]!, source, image.archived, context);
  if ('reply' in drafted) {
    await reply.replace(target, { text: drafted.reply });
    return;
  }
  const transaction = await storeReceiptDraft(drafted.draft, context, reply.nextMarkerKey());
  await reply.replace(target, transactionView(transaction));
}
