/**
 * A WhatsApp conversation is between one business phone number and one user, so the chat id the core
 * passes around names both: `<phone_number_id>:<wa_id>`. Replies go out from the number the user wrote to.
 */

/** Builds the chat id of the conversation between a business phone number and a user. */
export function whatsAppChatId(phoneNumberId: string, waId: string): string {
  return `${phoneNumberId}:${waId}`;
}

/** Raised when a chat id handed to the WhatsApp channel is not `<phone_number_id>:<wa_id>`. */
export class WhatsAppChatIdError extends Error {
  override readonly name = 'WhatsAppChatIdError';

  constructor(chatId: string) {
    super(
      `WhatsApp chat id "${chatId}" is not <phone_number_id>:<wa_id> (two digit strings); ` +
        'it must come from a WhatsApp event, not from another channel.',
    );
  }
}

/** Splits a chat id built by {@link whatsAppChatId}. */
export function parseWhatsAppChatId(chatId: string): { phoneNumberId: string; waId: string } {
  const match = /^(\d{1,32}):(\d{1,32})$/.exec(chatId);
  if (match === null) {
    throw new WhatsAppChatIdError(chatId);
  }

  return { phoneNumberId: match[1]!, waId: match[2]! };
}

/**
 * Builds the action id of a button press: `<phone_number_id>:<wa_id>:<wamid of the user's reply>`, so the
 * channel can acknowledge the press by marking that reply read from the right business number, and send a
 * notice to the user who pressed.
 */
export function whatsAppActionId(phoneNumberId: string, waId: string, messageId: string): string {
  return `${phoneNumberId}:${waId}:${messageId}`;
}

/** Splits an action id built by {@link whatsAppActionId}, or returns `undefined` for another shape. */
export function parseWhatsAppActionId(
  actionId: string,
): { phoneNumberId: string; waId: string; chatId: string; messageId: string } | undefined {
  const match = /^(\d{1,32}):(\d{1,32}):(.+)$/s.exec(actionId);
  if (match === null) {
    return undefined;
  }
  const [, phoneNumberId, waId, messageId] = match as unknown as [string, string, string, string];

  return { phoneNumberId, waId, chatId: whatsAppChatId(phoneNumberId, waId), messageId };
}
