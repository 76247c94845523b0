import { normalizeTelegramUpdate } from '../channels/telegram/normalize';
import { normalizeWhatsAppEnvelope } from '../channels/whatsapp/normalize';
import type { ChatEvent } from '../processor/chat-event';
import type { InboundEnvelope } from './envelope';

/** Turns a queued envelope of any channel into the processor core's channel-neutral {@link ChatEvent}. */
export function normalizeEnvelope(envelope: InboundEnvelope): ChatEvent {
  if ('kind' in envelope) {
    const { albumId, chatId, sender } = envelope;
    return { type: 'album', eventKey: `album:${albumId}`, albumId, chatId, sender: { ...sender } };
  }
  return envelope.channel === 'telegram'
    ? normalizeTelegramUpdate(envelope.update)
    : normalizeWhatsAppEnvelope(envelope);
}
