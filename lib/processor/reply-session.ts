import type { ChatChannel, MessageTarget, OutgoingMessage, SentMessage } from '../channels/channel';
import type { IdempotencyStore } from '../store/idempotency-store';

/**
 * Sends the replies to one event at most once each, even when the event is processed again after a
 * failure: the n-th send of an event records a "reply sent" marker and a retry skips sends that have one.
 * Edits are repeated as they are, because Telegram treats an identical edit as a no-op.
 */
export class ReplySession {
  #sendCount = 0;

  constructor(
    private readonly channel: ChatChannel,
    private readonly idempotency: IdempotencyStore,
    private readonly eventKey: string,
  ) {}

  /** Sends a message unless this send already happened for the event; returns `undefined` when skipped. */
  async send(chatId: string, message: OutgoingMessage): Promise<SentMessage | undefined> {
    this.#sendCount += 1;
    const marker = `reply:${this.eventKey}:${this.#sendCount}`;
    if (await this.idempotency.hasMarker(marker)) {
      return undefined;
    }

    const sent = await this.channel.send(chatId, message);
    await this.idempotency.putMarker(marker);

    return sent;
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
