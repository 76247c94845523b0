import type { DeliveryStatusEvent } from '../../processor/chat-event';
import type { DeliveryRecordOutcome, DeliveryTracker } from '../../processor/dependencies';
import type { WhatsAppStateStore } from './state-store';

/**
 * {@link DeliveryTracker} of WhatsApp messages: applies Meta's status reports to the delivery states in the
 * WhatsApp state table. A status of another channel's message returns `unknown` and writes nothing.
 */
export class WhatsAppDeliveryTracker implements DeliveryTracker {
  constructor(private readonly state: Pick<WhatsAppStateStore, 'recordStatus'>) {}

  async record(event: DeliveryStatusEvent): Promise<DeliveryRecordOutcome> {
    if (event.channel !== 'whatsapp') {
      return 'unknown';
    }

    return this.state.recordStatus(event.messageId, event.status, event.at, event.errors);
  }
}
