/**
 * Raised when an album is read while its photos may still be arriving. The record goes back to the queue for
 * `delayMs` (the deferral in lib/processor/deferral.ts), and the album is read when it comes back.
 */
export class AlbumStillCollectingError extends Error {
  override readonly name = 'AlbumStillCollectingError';

  constructor(
    readonly albumId: string,
    readonly delayMs: number,
  ) {
    super(
      `Album ${albumId} received a photo less than the quiet time ago; reading it again in ${delayMs} ms. ` +
        'The record is deferred, not failed.',
    );
  }
}
