import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { FakeMediaInput, FakeMediaRecord } from './types';

/** Path of the download URLs, shaped like Meta's `https://lookaside.fbsbx.com/whatsapp_business/attachments/`. */
export const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/** A stored media file. */
export interface StoredMedia extends FakeMediaRecord {
  bytes: Uint8Array;
  /** `file_size` of the lookup response, `null` to leave it out. */
  fileSize: number | null;
  contentLength: boolean;
}

/** Media files by id, and the download URLs issued for them with their expiry. */
export class MediaStore {
  private readonly media = new Map<string, StoredMedia>();
  private readonly downloads = new Map<string, { mediaId: string; expiresAtMs: number }>();

  constructor(private readonly urlTtlMs: number) {}

  add(input: FakeMediaInput): FakeMediaRecord {
    const id = input.id ?? String(randomInt(100_000_000_000, 999_999_999_999));
    if (!/^[\w.-]{1,128}$/.test(id)) {
      throw new TypeError(`Fake media id "${id}" is invalid; pass letters, digits, ".", "_" or "-".`);
    }

    const bytes = new Uint8Array(input.bytes);
    const record: FakeMediaRecord = {
      id,
      mimeType: input.mimeType,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sizeBytes: bytes.byteLength,
    };
    this.media.set(id, {
      ...record,
      bytes,
      fileSize: input.fileSize === undefined ? bytes.byteLength : input.fileSize,
      contentLength: input.contentLength ?? true,
    });
    return record;
  }

  expire(mediaId: string): void {
    this.media.delete(mediaId);
  }

  get(mediaId: string): StoredMedia | undefined {
    return this.media.get(mediaId);
  }

  /** Issues a download URL for a media id that expires `urlTtlMs` after `nowMs`. */
  issueUrl(mediaId: string, origin: string, nowMs: number): string {
    const hash = randomBytes(16).toString('base64url');
    const expiresAtMs = nowMs + this.urlTtlMs;
    this.downloads.set(hash, { mediaId, expiresAtMs });

    const query = new URLSearchParams({ mid: mediaId, ext: String(Math.floor(expiresAtMs / 1000)), hash });
    return `${origin}${DOWNLOAD_PATH}?${query}`;
  }

  /** Resolves a download URL's query: the media, or `undefined` when the URL is unknown or expired. */
  resolveDownload(query: URLSearchParams, nowMs: number): StoredMedia | undefined {
    const download = this.downloads.get(query.get('hash') ?? '');
    if (download === undefined || download.mediaId !== query.get('mid') || nowMs >= download.expiresAtMs) {
      return undefined;
    }

    return this.media.get(download.mediaId);
  }

  reset(): void {
    this.media.clear();
    this.downloads.clear();
  }
}
