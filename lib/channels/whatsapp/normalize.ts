import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import metadata from 'libphonenumber-js/min/metadata';
import { parseCommand } from '../../inbound/command';
import type { WhatsAppEnvelope } from '../../inbound/envelope';
import type { ChatEvent, DeliveryStatusEvent, MediaEvent, Sender } from '../../processor/chat-event';
import { whatsAppActionId, whatsAppChatId } from './chat-id';
import type { WhatsAppContact, WhatsAppMedia, WhatsAppMessage, WhatsAppStatus } from './payload';

const DELIVERY_STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);

/**
 * Returns the country of a wa_id (an international number without `+`), or `undefined`. A number that the
 * metadata does not recognise as valid (a new range, a test number) falls back to the main country of its
 * calling code, as libphonenumber lists it first: +44 → GB, +1 → US.
 */
export function countryOfWaId(waId: string): string | undefined {
  const phone = parsePhoneNumberFromString(`+${waId}`);
  if (phone === undefined) {
    return undefined;
  }

  return phone.country ?? metadata.country_calling_codes[phone.countryCallingCode]?.[0];
}

function sender(waId: string, contact: WhatsAppContact | undefined): Sender {
  const name = contact?.wa_id === waId ? contact.profile?.name : undefined;

  return {
    channel: 'whatsapp',
    externalId: waId,
    displayName: typeof name === 'string' && name !== '' ? name : undefined,
    country: countryOfWaId(waId),
  };
}

function sentAt(timestamp: string): Date {
  const seconds = Number(timestamp);

  return new Date(Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : Date.now());
}

function mediaOf(media: WhatsAppMedia | undefined): MediaEvent['media'] {
  if (media === undefined || typeof media.id !== 'string') {
    return undefined;
  }

  return { id: media.id, mimeType: media.mime_type, fileName: media.filename };
}

function mediaEvent(
  base: { eventKey: string; sender: Sender; chatId: string; messageId: string; sentAt: Date },
  message: WhatsAppMessage,
): MediaEvent {
  const caption = (media: WhatsAppMedia | undefined) =>
    typeof media?.caption === 'string' && media.caption !== '' ? media.caption : undefined;
  switch (message.type) {
    case 'image':
      return {
        ...base,
        type: 'media',
        mediaKind: 'photo',
        media: mediaOf(message.image),
        caption: caption(message.image),
      };
    case 'document':
      return {
        ...base,
        type: 'media',
        mediaKind: 'document',
        media: mediaOf(message.document),
        caption: caption(message.document),
      };
    case 'audio':
      return {
        ...base,
        type: 'media',
        mediaKind: message.audio?.voice === true ? 'voice' : 'audio',
        media: mediaOf(message.audio),
      };
    case 'voice':
      return { ...base, type: 'media', mediaKind: 'voice', media: mediaOf(message.voice ?? message.audio) };
    default:
      // video, sticker, location, contacts, order, unsupported, unknown and types added later.
      return { ...base, type: 'media', mediaKind: 'other' };
  }
}

function fromMessage(
  eventKey: string,
  phoneNumberId: string,
  message: WhatsAppMessage,
  contact: WhatsAppContact | undefined,
): ChatEvent {
  if (typeof message.from !== 'string' || !/^\d{1,32}$/.test(message.from)) {
    return { type: 'ignored', eventKey, reason: 'message without a sender wa_id' };
  }
  if (message.type === 'system') {
    return { type: 'ignored', eventKey, reason: 'system message' };
  }
  if (message.type === 'reaction') {
    // A reaction (or its removal, which has no emoji) is not a request; the bot does not answer it.
    return { type: 'ignored', eventKey, reason: message.reaction?.emoji ? 'reaction' : 'reaction removed' };
  }

  const chatId = whatsAppChatId(phoneNumberId, message.from);
  const base = { eventKey, sender: sender(message.from, contact), chatId, messageId: message.id };
  const at = sentAt(message.timestamp);

  if (message.type === 'text' && typeof message.text?.body === 'string') {
    const command = parseCommand(message.text.body);
    if (command !== undefined) {
      return { ...base, type: 'command', ...command, sentAt: at };
    }
    const forwarded = message.context?.forwarded === true || message.context?.frequently_forwarded === true;
    return { ...base, type: 'text', text: message.text.body, sentAt: at, forwarded };
  }

  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  const known = message.interactive?.type === 'button_reply' || message.interactive?.type === 'list_reply';
  const pressed = known && typeof reply?.id === 'string' ? reply.id : message.button?.payload;
  if ((message.type === 'interactive' || message.type === 'button') && typeof pressed === 'string') {
    return {
      type: 'action',
      eventKey,
      sender: base.sender,
      chatId,
      // The channel marks the reply read from the business number and can send the user a notice.
      actionId: whatsAppActionId(phoneNumberId, message.from, message.id),
      data: pressed,
      // The reply's context names the bot message that carried the buttons.
      target: { chatId, messageId: message.context?.id ?? message.id },
    };
  }
  if (message.type === 'button' && typeof message.button?.text === 'string') {
    return { ...base, type: 'text', text: message.button.text, sentAt: at, forwarded: false };
  }

  return mediaEvent({ ...base, sentAt: at }, message);
}

function fromStatus(eventKey: string, status: WhatsAppStatus): ChatEvent {
  if (!DELIVERY_STATUSES.has(status.status)) {
    return { type: 'ignored', eventKey, reason: `status ${String(status.status).slice(0, 32)} not tracked` };
  }

  const event: DeliveryStatusEvent = {
    type: 'delivery-status',
    eventKey,
    channel: 'whatsapp',
    messageId: status.id,
    status: status.status as DeliveryStatusEvent['status'],
    at: sentAt(status.timestamp),
    errors: (Array.isArray(status.errors) ? status.errors : []).map((error) => ({
      code: Number(error?.code),
      title: String(error?.title ?? error?.message ?? ''),
    })),
  };
  if (typeof status.recipient_id === 'string') {
    event.recipientId = status.recipient_id;
  }

  return event;
}

/**
 * Turns one queued WhatsApp item into a channel-neutral {@link ChatEvent}. Fields that Meta leaves out in
 * some deliveries (`profile`, `recipient_id`, a removed reaction's `emoji`) are read only after a check;
 * message types the bot cannot read become a media event of kind `other`, which gets one reply.
 */
export function normalizeWhatsAppEnvelope(envelope: WhatsAppEnvelope): ChatEvent {
  const eventKey = `whatsapp:${envelope.eventId}`;
  const item = envelope.item;

  return item.kind === 'status'
    ? fromStatus(eventKey, item.status)
    : fromMessage(eventKey, envelope.phoneNumberId, item.message, item.contact);
}
