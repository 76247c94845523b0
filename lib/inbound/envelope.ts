import type { Update } from '@grammyjs/types';
import type { WhatsAppContact, WhatsAppMessage, WhatsAppStatus } from '../channels/whatsapp/payload';
import type { Channel } from '../domain/user';
import type { Sender } from '../processor/chat-event';

/** Fields of every envelope. */
interface EnvelopeBase {
  version: 1;
  /** When the webhook accepted the update, epoch milliseconds. */
  receivedAtEpochMs: number;
  /**
   * Id of the webhook request that accepted the update (API Gateway's request id). Every function that
   * handles the update logs it as `correlationId` and annotates its trace with it. Absent in envelopes
   * written before it existed.
   */
  correlationId?: string;
}

/** A Telegram update as the Telegram webhook function queued it. */
export interface TelegramEnvelope extends EnvelopeBase {
  channel: 'telegram';
  /** Telegram's `update_id`, also the FIFO deduplication id and the idempotency key. */
  updateId: number;
  update: Update;
}

/**
 * One item of a WhatsApp webhook POST: a message with its sender's contact, or a status of a message the
 * bot sent. A POST with several entries, changes, messages and statuses becomes one envelope per item.
 */
export type WhatsAppEnvelopeItem =
  | { kind: 'message'; message: WhatsAppMessage; contact?: WhatsAppContact }
  | { kind: 'status'; status: WhatsAppStatus };

/** A WhatsApp message or status as the WhatsApp webhook function queued it. */
export interface WhatsAppEnvelope extends EnvelopeBase {
  channel: 'whatsapp';
  /**
   * The message id (`wamid.…`) for a message, `status:<wamid>:<status>` for a status: the FIFO
   * deduplication id and the idempotency key.
   */
  eventId: string;
  /** The business phone number that received the message or sent the message of the status. */
  phoneNumberId: string;
  item: WhatsAppEnvelopeItem;
}

/**
 * A request to read an album's photos together, which the processor queues for itself when an album's first
 * photo arrives. It has its own FIFO message group, so waiting for the album's last photo does not hold up
 * the chat's other messages.
 */
export interface AlbumEnvelope extends EnvelopeBase {
  kind: 'album';
  /** The chat's channel. */
  channel: Channel;
  albumId: string;
  chatId: string;
  /** The sender of the album's first photo. */
  sender: Sender;
}

/** The SQS message body the webhook functions write and the processor reads. */
export type InboundEnvelope = TelegramEnvelope | WhatsAppEnvelope | AlbumEnvelope;

/**
 * The id that names an envelope's update in logs and traces: Telegram's update id, WhatsApp's event id, or
 * `album:<album id>`.
 */
export function envelopeId(envelope: InboundEnvelope): number | string {
  if ('kind' in envelope) {
    return `album:${envelope.albumId}`;
  }
  return envelope.channel === 'telegram' ? envelope.updateId : envelope.eventId;
}

/**
 * Serializes an envelope as pure ASCII JSON: every character above U+007E becomes a `\uXXXX` escape.
 * SQS rejects message bodies with characters outside its allowed Unicode ranges, and emulators disagree
 * with AWS about characters beyond the Basic Multilingual Plane (emoji), so an escaped body passes
 * everywhere. `JSON.parse` restores the original text.
 */
export function serializeEnvelope(envelope: InboundEnvelope): string {
  return JSON.stringify(envelope).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Raised when an SQS record body is not an {@link InboundEnvelope}. Such a record can never succeed. */
export class InvalidEnvelopeError extends Error {
  override readonly name = 'InvalidEnvelopeError';
}

/** Parses and checks an SQS record body. */
export function parseEnvelope(body: string): InboundEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidEnvelopeError(`SQS record body is not JSON (${body.length} characters).`);
  }

  const envelope = value as Record<string, unknown> | null;
  if (typeof envelope !== 'object' || envelope === null || envelope.version !== 1) {
    throw new InvalidEnvelopeError('SQS record body is not a version 1 envelope.');
  }
  const id =
    envelope.kind === 'album'
      ? checkAlbum(envelope)
      : envelope.channel === 'telegram'
        ? checkTelegram(envelope)
        : checkWhatsApp(envelope);
  if (typeof envelope.receivedAtEpochMs !== 'number') {
    throw new InvalidEnvelopeError(`Envelope of update ${id} has no numeric receivedAtEpochMs.`);
  }
  if (envelope.correlationId !== undefined && typeof envelope.correlationId !== 'string') {
    throw new InvalidEnvelopeError(
      `Envelope of update ${id} has a correlationId of type ${typeof envelope.correlationId}; expected a string.`,
    );
  }

  return envelope as unknown as InboundEnvelope;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkAlbum(envelope: Record<string, unknown>): string {
  const { albumId, chatId, sender, channel } = envelope;
  if (typeof albumId !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(albumId)) {
    throw new InvalidEnvelopeError('Album envelope has no albumId of 1 to 40 URL-safe characters.');
  }
  if (channel !== 'telegram' && channel !== 'whatsapp') {
    throw new InvalidEnvelopeError(
      `Envelope of album ${albumId} has channel ${JSON.stringify(channel)}; expected "telegram" or "whatsapp".`,
    );
  }
  if (
    typeof chatId !== 'string' ||
    !isObject(sender) ||
    typeof sender.externalId !== 'string' ||
    sender.channel !== channel
  ) {
    throw new InvalidEnvelopeError(
      `Envelope of album ${albumId} needs a chatId string and a sender with an externalId on channel ${channel}.`,
    );
  }

  return `album:${albumId}`;
}

function checkTelegram(envelope: Record<string, unknown>): number {
  if (!Number.isSafeInteger(envelope.updateId)) {
    throw new InvalidEnvelopeError('Telegram envelope has no integer updateId.');
  }
  if (!isObject(envelope.update)) {
    throw new InvalidEnvelopeError(`Envelope of update ${envelope.updateId} has no update object.`);
  }

  return envelope.updateId as number;
}

function checkWhatsApp(envelope: Record<string, unknown>): string {
  if (envelope.channel !== 'whatsapp') {
    throw new InvalidEnvelopeError(
      `SQS record body has channel ${JSON.stringify(envelope.channel)}; expected "telegram" or "whatsapp".`,
    );
  }
  const { eventId, phoneNumberId, item } = envelope;
  if (typeof eventId !== 'string' || eventId === '') {
    throw new InvalidEnvelopeError('WhatsApp envelope has no eventId string.');
  }
  if (typeof phoneNumberId !== 'string' || phoneNumberId === '') {
    throw new InvalidEnvelopeError(`Envelope of update ${eventId} has no phoneNumberId string.`);
  }
  const valid =
    isObject(item) &&
    ((item.kind === 'message' && isObject(item.message) && typeof item.message.id === 'string') ||
      (item.kind === 'status' && isObject(item.status) && typeof item.status.id === 'string'));
  if (!valid) {
    throw new InvalidEnvelopeError(
      `Envelope of update ${eventId} has no item of kind "message" or "status" with an id.`,
    );
  }

  return eventId;
}
