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

/**
 * Raised when an album's reading reaches a processor that has no album buffer (no INBOUND_QUEUE_URL). The
 * record is retried and then kept in the dead-letter queue until the variable is set and the queue redriven.
 */
export class AlbumsNotConfiguredError extends Error {
  override readonly name = 'AlbumsNotConfiguredError';

  constructor(readonly albumId: string) {
    super(
      `Album ${albumId} cannot be read: this processor has no INBOUND_QUEUE_URL, so it keeps no album buffer. ` +
        'Set INBOUND_QUEUE_URL to the inbound FIFO queue, then redrive the dead-letter queue.',
    );
  }
}
