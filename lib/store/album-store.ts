import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MediaReference, MessageId } from '../channels/channel';
import type { Channel } from '../domain/user';
import { isConditionalCheckFailure, StoreError } from './errors';

/** One photo of an album, as the processor received it. */
export interface AlbumPhoto {
  /** Idempotency key of the message that carried the photo; the photo's draft takes its id from it. */
  eventKey: string;
  messageId: MessageId;
  media: MediaReference;
  sentAtEpochMs: number;
}

/**
 * State of an album: `collecting` while its photos arrive, `reading` once one invocation took its photos
 * for OCR, `read` when its drafts exist and its summary was sent.
 */
export type AlbumStatus = 'collecting' | 'reading' | 'read';

/** Outcome of one photo of a read album: its draft, or the reply that explains why it has none. */
export type AlbumEntry = { transactionId: string } | { reply: string };

/** An album of photos sent together, buffered until its photos stop arriving. */
export interface Album {
  albumId: string;
  status: AlbumStatus;
  channel: Channel;
  chatId: string;
  /** The photos, oldest first (by send time, then message id). */
  photos: AlbumPhoto[];
  /** The caption of the album, which one of its messages carries. */
  caption?: string;
  /** The "Processing your receipts…" message that the summary replaces. */
  placeholderMessageId?: MessageId;
  /** Outcome of each photo, in photo order. Empty until the album is read. */
  entries: AlbumEntry[];
  createdAtEpochMs: number;
  lastAddedAtEpochMs: number;
}

/** Outcome of {@link AlbumStore.add}: the photo joined the album, or the album was already being read. */
export type AlbumAddOutcome = { outcome: 'added' | 'closed'; album: Album };

/** Options of {@link AlbumStore}. */
export interface AlbumStoreOptions {
  client: DynamoDBDocumentClient;
  /** The idempotency table, which keeps the processor's short-lived state under prefixed keys. */
  tableName: string;
  /** How long an album is kept after its first photo, so its summary's buttons keep working. */
  retentionSeconds: number;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

/**
 * Returns the id of the album that a message with `mediaGroupId` belongs to. Media group ids are unique
 * per chat only, so the id hashes the channel and chat too. The result is 22 URL-safe characters, short
 * enough for button data.
 */
export function albumIdFor(channel: Channel, chatId: string, mediaGroupId: string): string {
  return createHash('sha256').update(`${channel}:${chatId}:${mediaGroupId}`).digest('base64url').slice(0, 22);
}

interface StoredAlbum extends Omit<Album, 'photos' | 'entries'> {
  key: string;
  photos: Record<string, AlbumPhoto>;
  entries?: AlbumEntry[];
  expiresAtEpochSeconds: number;
}

/**
 * Album buffers in DynamoDB, one item per album under `album:<album id>` in the idempotency table.
 *
 * Photos are keyed by their file's unique id, so a redelivered message or the same file sent twice in one
 * album adds nothing. Every change is a conditional write, so a photo either joins the album before it is
 * read or learns that it came too late, never both.
 */
export class AlbumStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #retentionSeconds: number;
  readonly #now: () => number;

  constructor(options: AlbumStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#retentionSeconds = options.retentionSeconds;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Adds a photo to its album, creating the album with the first photo. Returns `closed` with the album
   * when it is already being read or was read: the photo then has to be read on its own.
   */
  async add(input: {
    albumId: string;
    channel: Channel;
    chatId: string;
    photo: AlbumPhoto;
    caption?: string;
  }): Promise<AlbumAddOutcome> {
    const nowMs = this.#now();
    const photoKey = input.photo.media.uniqueId ?? input.photo.media.id;
    const item: StoredAlbum = {
      key: keyOf(input.albumId),
      albumId: input.albumId,
      status: 'collecting',
      channel: input.channel,
      chatId: input.chatId,
      photos: { [photoKey]: input.photo },
      ...(input.caption === undefined ? {} : { caption: input.caption }),
      createdAtEpochMs: nowMs,
      lastAddedAtEpochMs: nowMs,
      expiresAtEpochSeconds: Math.floor(nowMs / 1_000) + this.#retentionSeconds,
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#key) OR expiresAtEpochSeconds < :nowSeconds',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: { ':nowSeconds': Math.floor(nowMs / 1_000) },
        }),
      );
      return { outcome: 'added', album: fromStored(item) };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('PutItem (album)', this.#tableName, { cause: error });
      }
    }

    const captionUpdate = input.caption === undefined ? '' : ', caption = if_not_exists(caption, :caption)';
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { key: keyOf(input.albumId) },
          UpdateExpression: `SET photos.#photo = :photo, lastAddedAtEpochMs = :now${captionUpdate}`,
          ConditionExpression: '#status = :collecting',
          ExpressionAttributeNames: { '#photo': photoKey, '#status': 'status' },
          ExpressionAttributeValues: {
            ':photo': input.photo,
            ':now': nowMs,
            ':collecting': 'collecting',
            ...(input.caption === undefined ? {} : { ':caption': input.caption }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'added', album: fromStored(result.Attributes as StoredAlbum) };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('UpdateItem (album photo)', this.#tableName, { cause: error });
      }
    }

    const album = await this.get(input.albumId);
    if (album === undefined) {
      // The album expired between the writes: start a new one.
      return this.add(input);
    }
    return { outcome: 'closed', album };
  }

  /** Records the message that the album's summary will replace. */
  async setPlaceholder(albumId: string, messageId: MessageId): Promise<void> {
    await this.#update('UpdateItem (album placeholder)', {
      Key: { key: keyOf(albumId) },
      UpdateExpression: 'SET placeholderMessageId = :messageId',
      ConditionExpression: 'attribute_exists(#key)',
      ExpressionAttributeNames: { '#key': 'key' },
      ExpressionAttributeValues: { ':messageId': messageId },
    });
  }

  /**
   * Takes the album's photos for reading: moves it from `collecting` to `reading` and returns it with
   * every photo that joined before. An album that is already `reading` is returned as it is, so a retry
   * reads the same photos. Returns `undefined` when the album was read or is gone.
   */
  async startReading(albumId: string): Promise<Album | undefined> {
    const attributes = await this.#update('UpdateItem (album start reading)', {
      Key: { key: keyOf(albumId) },
      UpdateExpression: 'SET #status = :reading',
      ConditionExpression: '#status IN (:collecting, :reading)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':collecting': 'collecting', ':reading': 'reading' },
      ReturnValues: 'ALL_NEW',
    });

    return attributes === undefined ? undefined : fromStored(attributes as unknown as StoredAlbum);
  }

  /** Marks the album read and records what became of each photo, which its summary shows. */
  async finishReading(albumId: string, entries: AlbumEntry[]): Promise<void> {
    await this.#update('UpdateItem (album read)', {
      Key: { key: keyOf(albumId) },
      UpdateExpression: 'SET #status = :read, entries = :entries',
      ConditionExpression: 'attribute_exists(#key)',
      ExpressionAttributeNames: { '#status': 'status', '#key': 'key' },
      ExpressionAttributeValues: { ':read': 'read', ':entries': entries },
    });
  }

  /** Returns the album, or `undefined` when there is none or it expired. */
  async get(albumId: string): Promise<Album | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { key: keyOf(albumId) }, ConsistentRead: true }),
      );
      const item = result.Item as StoredAlbum | undefined;
      // TTL deletes expired items within days, not at once, so an expired item counts as absent.
      if (item === undefined || item.expiresAtEpochSeconds < Math.floor(this.#now() / 1_000)) {
        return undefined;
      }

      return fromStored(item);
    } catch (error) {
      throw new StoreError('GetItem (album)', this.#tableName, { cause: error });
    }
  }

  /** Runs a conditional update; returns the new attributes, or `undefined` when the condition failed. */
  async #update(
    operation: string,
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.#client.send(new UpdateCommand({ TableName: this.#tableName, ...input }));
      return result.Attributes ?? {};
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return undefined;
      }
      throw new StoreError(operation, this.#tableName, { cause: error });
    }
  }
}

function keyOf(albumId: string): string {
  return `album:${albumId}`;
}

function fromStored(item: StoredAlbum): Album {
  const photos = Object.values(item.photos ?? {}).sort(
    (left, right) =>
      left.sentAtEpochMs - right.sentAtEpochMs ||
      String(left.messageId).localeCompare(String(right.messageId), 'en', { numeric: true }),
  );

  return {
    albumId: item.albumId,
    status: item.status,
    channel: item.channel,
    chatId: item.chatId,
    photos,
    ...(item.caption === undefined ? {} : { caption: item.caption }),
    ...(item.placeholderMessageId === undefined ? {} : { placeholderMessageId: item.placeholderMessageId }),
    entries: item.entries ?? [],
    createdAtEpochMs: item.createdAtEpochMs,
    lastAddedAtEpochMs: item.lastAddedAtEpochMs,
  };
}
