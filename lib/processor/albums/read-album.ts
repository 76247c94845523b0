import type { ChatChannel } from '../../channels/channel';
import type { Transaction } from '../../domain/transaction';
import { en } from '../../messages/en';
import { albumMessages } from '../../messages/en-albums';
import type { AlbumEntry, AlbumPhoto } from '../../store/album-store';
import type { AlbumEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { draftFromReceipt, storeReceiptDraft } from '../receipts/receipt-draft';
import { fetchReceiptImage, type ReceiptImage } from '../receipts/receipt-image';
import { recognizeReceipts } from '../receipts/recognize-receipts';
import { ALBUM_MAX_WAIT_MS, ALBUM_QUIET_MS } from './album-settings';
import { albumSummary } from './album-summary';
import { AlbumStillCollectingError, AlbumsNotConfiguredError } from './errors';

/** A photo of the album on its way to a draft. */
interface AlbumItem {
  photo: AlbumPhoto;
  image?: ReceiptImage;
  entry?: AlbumEntry;
  transaction?: Transaction;
}

/**
 * Reads an album's photos together once they stopped arriving. Each photo is downloaded and archived,
 * and all are read in one OCR call (one Google Vision request for up to 16 images). Each readable receipt
 * becomes a draft with the album's caption. One summary replaces "📷 Processing your receipts…".
 *
 * @throws AlbumStillCollectingError while a photo joined the album less than the quiet time ago, so the
 * record is deferred and read when it comes back.
 */
export async function readAlbum(
  event: AlbumEvent,
  channel: ChatChannel,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply } = context;
  const albums = dependencies.albums;
  if (albums === undefined) {
    throw new AlbumsNotConfiguredError(event.albumId);
  }
  const found = await albums.store.get(event.albumId);
  if (found === undefined || found.status === 'read') {
    dependencies.logger.info('Album already read or expired', { eventKey: event.eventKey });
    return;
  }
  if (found.status === 'collecting') {
    const nowMs = dependencies.now();
    const waitMs = found.lastAddedAtEpochMs + (albums.quietMs ?? ALBUM_QUIET_MS) - nowMs;
    if (waitMs > 0 && nowMs - found.createdAtEpochMs < (albums.maxWaitMs ?? ALBUM_MAX_WAIT_MS)) {
      throw new AlbumStillCollectingError(event.albumId, waitMs);
    }
  }
  const album = await albums.store.startReading(event.albumId);
  if (album === undefined) {
    return;
  }

  const target = {
    chatId: album.chatId,
    messageId:
      album.placeholderMessageId ??
      (await reply.send(album.chatId, { text: albumMessages.processingReceipts() })).messageId,
  };
  // Albums are collected only on channels that download media (lib/processor/handlers/media.ts).
  const downloader = { downloadMedia: channel.downloadMedia!.bind(channel) };
  const items: AlbumItem[] = [];
  for (const photo of album.photos) {
    const fetched = await fetchReceiptImage(photo.media, photo.eventKey, downloader, context);
    items.push(
      'reply' in fetched ? { photo, entry: { reply: fetched.reply } } : { photo, image: fetched.image },
    );
  }

  const readable = items.filter((item) => item.image !== undefined);
  if (readable.length > 0) {
    const read = await recognizeReceipts(
      readable.map((item) => item.image!),
      event.eventKey,
      context,
    );
    for (const [index, item] of readable.entries()) {
      if ('skipped' in read) {
        item.entry = {
          reply: read.skipped === 'budget-spent' ? en.receiptBudgetSpent() : en.receiptUnavailable(),
        };
        continue;
      }
      const source = {
        eventKey: item.photo.eventKey,
        channel: event.sender.channel,
        chatId: album.chatId,
        messageId: item.photo.messageId,
        sentAt: new Date(item.photo.sentAtEpochMs),
        ...(album.caption === undefined ? {} : { caption: album.caption }),
      };
      const drafted = draftFromReceipt(read.results[index]!, source, item.image!.archived, context);
      if ('reply' in drafted) {
        item.entry = { reply: drafted.reply };
        continue;
      }
      item.transaction = await storeReceiptDraft(drafted.draft, context);
      item.entry = { transactionId: item.transaction.transactionId };
    }
  }

  const entries = items.map((item) => item.entry!);
  const drafts = new Map(
    items.flatMap((item) =>
      item.transaction === undefined ? [] : [[item.transaction.transactionId, item.transaction]],
    ),
  );
  await reply.replace(target, albumSummary(album, entries, drafts));
  await albums.store.finishReading(album.albumId, entries);
  dependencies.logger.info('Read album', {
    eventKey: event.eventKey,
    photos: album.photos.length,
    drafts: drafts.size,
  });
}
