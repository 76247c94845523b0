import type { MediaReference } from '../../channels/channel';
import { albumMessages } from '../../messages/en-albums';
import { albumIdFor } from '../../store/album-store';
import type { MediaEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { handleReceipt } from '../handlers/receipt';
import type { MediaDownloader } from '../handlers/voice';

/**
 * Adds a receipt photo that belongs to an album to the album's buffer instead of reading it at once. The first photo sends "📷 Processing your receipts…", and every photo queues the
 * album's reading, which SQS keeps once. A photo that arrives after its album was read is read on its own,
 * with the album's caption.
 */
export async function collectAlbumPhoto(
  event: MediaEvent & { mediaGroupId: string },
  media: MediaReference,
  channel: MediaDownloader,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply } = context;
  const albums = dependencies.albums!;
  const albumId = albumIdFor(event.sender.channel, event.chatId, event.mediaGroupId);
  const { outcome, album } = await albums.store.add({
    albumId,
    channel: event.sender.channel,
    chatId: event.chatId,
    photo: {
      eventKey: event.eventKey,
      messageId: event.messageId,
      media,
      sentAtEpochMs: event.sentAt.getTime(),
    },
    ...(event.caption === undefined ? {} : { caption: event.caption }),
  });
  if (outcome === 'closed') {
    dependencies.logger.info('Album photo arrived after the album was read; reading it alone', {
      eventKey: event.eventKey,
      albumId,
    });
    await handleReceipt(event, media, channel, context, event.caption ?? album.caption);
    return;
  }

  if (album.placeholderMessageId === undefined) {
    const placeholder = await reply.send(event.chatId, { text: albumMessages.processingReceipts() });
    await albums.store.setPlaceholder(albumId, placeholder.messageId);
  }
  await albums.queue.schedule(
    { albumId, channel: event.sender.channel, chatId: event.chatId, sender: event.sender },
    context.correlationId,
  );
  dependencies.logger.info('Added photo to album', {
    eventKey: event.eventKey,
    albumId,
    photos: album.photos.length,
  });
}
