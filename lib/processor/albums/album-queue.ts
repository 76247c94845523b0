import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AlbumEnvelope } from '../../inbound/envelope';
import { serializeEnvelope } from '../../inbound/envelope';

/** The album to read, as {@link AlbumQueue.schedule} queues it. */
export type ScheduledAlbum = Pick<AlbumEnvelope, 'albumId' | 'channel' | 'chatId' | 'sender'>;

/**
 * Queues the reading of an album on the inbound FIFO queue. The message has its own group, so the chat's
 * messages are not held up while the album waits for its last photo. Its deduplication id is the album id,
 * so every photo may schedule the album and SQS keeps one message.
 */
export class AlbumQueue {
  constructor(
    private readonly sqs: SQSClient,
    /** URL of the inbound FIFO queue (INBOUND_QUEUE_URL). */
    private readonly queueUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues the album's reading unless it was queued in the last 5 minutes (SQS FIFO deduplication). */
  async schedule(album: ScheduledAlbum, correlationId?: string): Promise<void> {
    const envelope: AlbumEnvelope = {
      version: 1,
      kind: 'album',
      receivedAtEpochMs: this.now(),
      ...(correlationId === undefined ? {} : { correlationId }),
      ...album,
    };
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: serializeEnvelope(envelope),
        MessageGroupId: `album-${album.albumId}`,
        MessageDeduplicationId: `album-${album.albumId}`,
      }),
    );
  }
}
