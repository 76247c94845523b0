import type { AiUsage } from '../../ai/usage';
import type { OcrImageError } from './errors';

/** One image to read: the bytes as the user sent them, and their media type. */
export interface OcrImage {
  bytes: Uint8Array;
  /** Media type such as `image/jpeg` or `image/png`. */
  mimeType: string;
}

/** The text read from one image, with what reading it used. */
export interface OcrResult {
  /** Recognized text with lines separated by `\n`. It is empty when the image contains no text or failed. */
  text: string;
  /** Usage of this image: `images: 1`, or `images: 0` for an image that failed. */
  usage: AiUsage;
  /** Reason this image could not be read. The other images of the same call are not affected. */
  error?: OcrImageError;
}

/**
 * Reads text from receipt images. Google Cloud Vision and the offline tesseract engine both implement it,
 * so callers do not know which one reads.
 */
export interface OcrEngine {
  /**
   * Reads every image and returns one result per image, in the order given. An image that cannot be read
   * gets a result with `error` set, so one bad photo does not lose the others.
   * @throws when the provider cannot be called at all, such as an invalid key or an outage.
   */
  recognize(images: readonly OcrImage[]): Promise<OcrResult[]>;
}
