import type { ChatChannel } from '../../channels/channel';
import { en } from '../../messages/en';
import { collectAlbumPhoto } from '../albums/collect-photo';
import type { MediaEvent } from '../chat-event';
import type { HandlerContext } from './context';
import { handleReceipt, isReceiptImage } from './receipt';
import { handleVoice } from './voice';

/**
 * Answers a file the user sent: voice notes and audio files are transcribed, receipt photos and images sent
 * as documents are read, when the processor has those services and the channel can download the file. The
 * photos of an album are collected and read together.
 * Everything else (video notes, stickers, unreadable types) gets one reply saying what the bot can read.
 */
export async function handleMedia(
  event: MediaEvent,
  channel: ChatChannel,
  context: HandlerContext,
): Promise<void> {
  const ai = context.dependencies.ai;
  const media = event.media;
  if (media !== undefined && channel.downloadMedia !== undefined) {
    const downloading = { downloadMedia: channel.downloadMedia.bind(channel) };
    if ((event.mediaKind === 'voice' || event.mediaKind === 'audio') && ai?.transcriber !== undefined) {
      await handleVoice(event, media, downloading, context);
      return;
    }
    if (isReceiptImage(event) && (ai?.ocr !== undefined || ai?.offlineOcr !== undefined)) {
      const { mediaGroupId } = event;
      if (mediaGroupId !== undefined && context.dependencies.albums !== undefined) {
        await collectAlbumPhoto({ ...event, mediaGroupId }, media, downloading, context);
      } else {
        await handleReceipt(event, media, downloading, context);
      }
      return;
    }
  }

  await context.reply.send(event.chatId, { text: en.mediaNotSupported(event.mediaKind) });
}
