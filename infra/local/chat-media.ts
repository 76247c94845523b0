import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_VOICE_MANIFEST } from './local-ai';

/** A file that the terminal chat sends as a voice note or a receipt photo. */
export interface ChatMediaFile {
  bytes: Buffer;
  /** File name without folders, such as `lunch-subway.ogg`. */
  fileName: string;
  mimeType: string;
  /** Length of a voice note in seconds, from the voice fixtures' manifest when it lists the file. */
  durationSeconds?: number;
}

/** Raised when a file named after /voice or /photo cannot be sent. */
export class ChatMediaFileError extends Error {
  override readonly name = 'ChatMediaFileError';
}

/** MIME types of the image extensions that WhatsApp and Telegram accept as photos. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/**
 * Reads `file` (relative to the working directory) for `/voice`. Voice notes are Ogg Opus on both apps, so
 * the MIME type is always `audio/ogg`.
 * @throws {ChatMediaFileError} when the file cannot be read.
 */
export function readVoiceFile(file: string): ChatMediaFile {
  const bytes = readChatFile(file, '/voice');
  const fileName = path.basename(file);

  return { bytes, fileName, mimeType: 'audio/ogg', durationSeconds: manifestDuration(fileName) };
}

/**
 * Reads `file` (relative to the working directory) for `/photo`, or for the `command` named in errors.
 * @throws {ChatMediaFileError} when the file cannot be read or its extension is not an image type.
 */
export function readPhotoFile(file: string, command = '/photo'): ChatMediaFile {
  const extension = path.extname(file).toLowerCase();
  const mimeType = IMAGE_TYPES[extension];
  if (mimeType === undefined) {
    throw new ChatMediaFileError(
      `${command} ${file}: "${extension || 'no extension'}" is not an image type; pass a ${Object.keys(IMAGE_TYPES).join(', ')} file.`,
    );
  }

  return { bytes: readChatFile(file, command), fileName: path.basename(file), mimeType };
}

function readChatFile(file: string, command: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ChatMediaFileError(
      `${command} ${file}: the file could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass a path relative to ${process.cwd()}.`,
    );
  }
}

/** Duration of a committed voice fixture, or `undefined` for a file the manifest does not list. */
function manifestDuration(fileName: string): number | undefined {
  try {
    const entries = JSON.parse(readFileSync(LOCAL_VOICE_MANIFEST, 'utf8')) as Array<{
      file?: string;
      durationSeconds?: number;
    }>;
    return entries.find((entry) => entry.file === fileName)?.durationSeconds;
  } catch {
    return undefined;
  }
}
