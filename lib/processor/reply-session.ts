import type {
  ChatChannel,
  MessageId,
  MessageTarget,
  OutgoingMessage,
  SentMessage,
} from '../channels/channel';
import type { IdempotencyStore } from '../store/idempotency-store';

/**
 * Sends the replies to one event at most once each, even when the event is processed again after a
 * failure. The n-th send of an event records a "reply sent" marker with the id of the message it became,
 * and a retry skips sends that have one. When the event's claim was fresh, no earlier attempt can have
 * sent anything, so the markers are not read. Edits are repeated as they are, because Telegram treats an
 * identical edit as a no-op.
 * NOTE: a crash after a send and before its marker write makes the retry send that one reply again.
 */
export class ReplySession {
  #sendCount = 0;

  constructor(
    private readonly channel: ChatChannel,
    private readonly idempotency: IdempotencyStore,
    private readonly eventKey: string,
    private readonly fresh: boolean,
  ) {}

  /** Key of the marker that the next {@link send} writes, so a transaction can point at its reply. */
  nextMarkerKey(): string {
    return `reply:${this.eventKey}:${this.#sendCount + 1}`;
  }

  /** Sends a message unless this send already happened for the event; either way returns the message id. */
  async send(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    const marker = this.nextMarkerKey();
    this.#sendCount += 1;
    if (!this.fresh) {
      const earlier = await this.idempotency.getMarker(marker);
      if (typeof earlier?.messageId === 'number' || typeof earlier?.messageId === 'string') {
        return { messageId: earlier.messageId };
      }
    }

    const sent = await this.channel.send(chatId, message);
    await this.idempotency.putMarker(marker, { messageId: sent.messageId });

    return sent;
  }

  /**
   * Replaces a message the bot sent earlier for this event, such as "Processing your voice message…",
   * with `message`. It counts as the next send: its "reply sent" marker names the replaced message, so a
   * transaction shown in it can be found again like one shown in a new message. Replacing again on a
   * retry repeats the same edit, which is harmless.
   */
  async replace(
    target: { chatId: string; messageId: MessageId },
    message: OutgoingMessage,
  ): Promise<SentMessage> {
    const marker = this.nextMarkerKey();
    this.#sendCount += 1;
    await this.channel.edit(target, message);
    await this.idempotency.putMarker(marker, { messageId: target.messageId });

    return { messageId: target.messageId };
  }

  /** Edits a message the bot sent before. */
  async edit(target: MessageTarget, message: OutgoingMessage): Promise<void> {
    await this.channel.edit(target, message);
  }

  /** Confirms a button press. */
  async acknowledge(actionId: string, notice?: string): Promise<void> {
    await this.channel.acknowledge(actionId, notice);
  }
}
