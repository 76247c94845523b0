import type { MediaReference } from '../../channels/channel';
import { en } from '../../messages/en';
import type { ArchivedReceipt } from '../../receipts/archive';
import { sniffImageType } from '../../receipts/image-input';
import type { MediaEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { downloadFailureReply, type MediaDownloader } from '../handlers/voice';

/** Image types the OCR engines read. HEIC, which iPhones send as documents, is not among them. */
const READABLE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/tiff', 'image/bmp']);

/**
 * Declared types rejected without a download, because no OCR engine here reads them. Other
 * declared types are checked on the downloaded bytes, since clients mislabel files.
 */
const UNREADABLE_DECLARED_TYPES = new Set([
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
]);

/** Returns whether a media message may be a receipt: a photo, or an image sent as a document. */
export function isReceiptImage(event: Pick<MediaEvent, 'mediaKind' | 'media'>): boolean {
  return (
    event.mediaKind === 'photo' ||
    (event.mediaKind === 'document' && (event.media?.mimeType ?? '').toLowerCase().startsWith('image/'))
  );
}

/** A downloaded receipt image that the OCR engines can read, with where it was archived. */
export interface ReceiptImage {
  bytes: Uint8Array;
  mimeType: string;
  /** Absent where no archive bucket is configured. */
  archived?: ArchivedReceipt;
}

/**
 * Downloads a receipt image and archives it in S3, because channel file ids do not last. Returns the
 * reply for the user instead when the file can never be read: too large, no longer served by the channel,
 * or of a type that OCR does not read (HEIC). Errors that a retry may fix are thrown.
 */
export async function fetchReceiptImage(
  media: MediaReference,
  eventKey: string,
  channel: MediaDownloader,
  context: Pick<HandlerContext, 'dependencies' | 'user'>,
): Promise<{ image: ReceiptImage } | { reply: string }> {
  const { dependencies } = context;
  const ai = dependencies.ai!;
  const declared = media.mimeType?.toLowerCase();
  if (declared !== undefined && UNREADABLE_DECLARED_TYPES.has(declared)) {
    dependencies.logger.info('Receipt image type not readable', { eventKey, mimeType: declared });
    return { reply: en.receiptFormatNotSupported(declared) };
  }
  let bytes: Uint8Array;
  try {
    bytes = (await channel.downloadMedia(media, ai.maxImageBytes)).bytes;
  } catch (error) {
    const reply = downloadFailureReply(error);
    if (reply === undefined) {
      throw error;
    }
    dependencies.logger.info('Receipt image not downloaded', {
      eventKey,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return { reply };
  }
  const mimeType = sniffImageType(bytes) ?? media.mimeType ?? 'application/octet-stream';
  if (!READABLE_IMAGE_TYPES.has(mimeType)) {
    dependencies.logger.info('Receipt image type not readable', { eventKey, mimeType });
    return { reply: en.receiptFormatNotSupported(mimeType) };
  }

  const archived = await ai.receiptArchive?.put({ userId: context.user.userId, bytes, mimeType });

  return { image: { bytes, mimeType, ...(archived === undefined ? {} : { archived }) } };
}
