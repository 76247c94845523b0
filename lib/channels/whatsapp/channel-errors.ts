/** Errors of the WhatsApp channel that come from the core's requests rather than from the Graph API. */

/**
 * The core requested an edit of an inline-mode message. Only Telegram has inline mode, so a WhatsApp event
 * never produces such a target.
 */
export class WhatsAppInlineMessageError extends Error {
  override readonly name = 'WhatsAppInlineMessageError';
  readonly retryable = false;

  constructor(readonly inlineMessageId: string) {
    super(
      `Inline message ${inlineMessageId} cannot be edited on WhatsApp, which has no inline messages; ` +
        'address the edit to { chatId, messageId } from a WhatsApp event.',
    );
  }
}

/** An action id handed to the WhatsApp channel is not `<phone_number_id>:<wamid>`. */
export class WhatsAppActionIdError extends Error {
  override readonly name = 'WhatsAppActionIdError';
  readonly retryable = false;

  constructor(readonly actionId: string) {
    super(
      `WhatsApp action id "${actionId}" is not <phone_number_id>:<wamid>; it must come from a WhatsApp ` +
        'button reply, not from another channel.',
    );
  }
}
