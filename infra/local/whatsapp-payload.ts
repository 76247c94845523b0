import { randomBytes } from 'node:crypto';
import { displayPhoneNumber } from './fake-whatsapp/status-webhooks';

/**
 * Builders of WhatsApp Cloud API webhook payloads as Meta sends them, for the terminal chat and for tests.
 */

/** A WhatsApp user writing to one of the business phone numbers. */
export interface WhatsAppChatUser {
  /** WhatsApp id: the phone number in international format without `+`, such as `5511900000001`. */
  waId: string;
  /** Profile name that Meta sends in `contacts`. */
  name: string;
}

/** The business phone number and the user of one message. */
export interface WhatsAppSender {
  phoneNumberId: string;
  user: WhatsAppChatUser;
}

/** A button or list row that the user pressed, and the bot message that showed it. */
export interface WhatsAppPressedReply {
  kind: 'button_reply' | 'list_reply';
  id: string;
  title: string;
  description?: string;
  /** `wamid` of the bot message that carried the button or list. */
  contextId: string;
}

/** Returns a new inbound message id in Meta's `wamid.` form, unique within the process. */
export function newWamid(): string {
  return `wamid.LOCAL${randomBytes(12).toString('hex').toUpperCase()}`;
}

function payload(sender: WhatsAppSender, message: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: displayPhoneNumber(sender.phoneNumberId),
                phone_number_id: sender.phoneNumberId,
              },
              contacts: [{ profile: { name: sender.user.name }, wa_id: sender.user.waId }],
              messages: [
                {
                  from: sender.user.waId,
                  id: newWamid(),
                  timestamp: String(Math.floor(Date.now() / 1_000)),
                  ...message,
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/**
 * Builds the webhook payload of one message from `sender.user`, sent now with a new wamid. Fields of
 * `message` (its `type` and content, or an `id` or `timestamp` of its own) go into the message as given.
 */
export function whatsAppMessagePayload(
  sender: WhatsAppSender,
  message: Record<string, unknown>,
): Record<string, unknown> {
  return payload(sender, message);
}

/** Builds the webhook payload of a text message that `sender.user` writes now. */
export function whatsAppTextPayload(sender: WhatsAppSender, text: string): Record<string, unknown> {
  return payload(sender, { type: 'text', text: { body: text } });
}

/** Builds the webhook payload of a button or list row press, which replies to the bot message `contextId`. */
export function whatsAppPressPayload(
  sender: WhatsAppSender,
  pressed: WhatsAppPressedReply,
): Record<string, unknown> {
  const reply: Record<string, string> = { id: pressed.id, title: pressed.title };
  if (pressed.description !== undefined) {
    reply.description = pressed.description;
  }

  return payload(sender, {
    context: { from: displayPhoneNumber(sender.phoneNumberId), id: pressed.contextId },
    type: 'interactive',
    interactive: { type: pressed.kind, [pressed.kind]: reply },
  });
}

/** Returns whether `value` is a WhatsApp webhook payload (`object: 'whatsapp_business_account'`). */
export function isWhatsAppPayload(value: unknown): value is { object: 'whatsapp_business_account' } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { object?: unknown }).object === 'whatsapp_business_account'
  );
}

/** Returns the `from` of every message in a webhook payload, in order; statuses have none. */
export function whatsAppSenders(payload: unknown): string[] {
  const entries = (payload as { entry?: Array<{ changes?: Array<{ value?: { messages?: unknown } }> }> })
    .entry;
  const senders: string[] = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
      const messages = change?.value?.messages;
      for (const message of Array.isArray(messages) ? messages : []) {
        const from = (message as { from?: unknown }).from;
        if (typeof from === 'string') {
          senders.push(from);
        }
      }
    }
  }

  return senders;
}

/** A bot message as a user sees it: the text, and the buttons or list rows that a press replies to. */
export interface WhatsAppShownMessage {
  text: string;
  choices: Array<Omit<WhatsAppPressedReply, 'contextId'>>;
  /** Name of the template, when the message is a template message. */
  template?: string;
}

interface OutboundPayload {
  text?: { body?: string };
  interactive?: {
    type?: string;
    body?: { text?: string };
    action?: {
      buttons?: Array<{ reply?: { id?: string; title?: string } }>;
      sections?: Array<{ rows?: Array<{ id?: string; title?: string; description?: string }> }>;
    };
  };
  template?: { name?: string; components?: Array<{ type?: string; parameters?: Array<{ text?: string }> }> };
}

/**
 * Reads a message body that the processor POSTed to `/{phone-number-id}/messages`: the text of a text
 * message, the body and buttons or list rows of an interactive message, the body parameters of a template.
 */
export function showSentMessage(type: string, body: Record<string, unknown>): WhatsAppShownMessage {
  const message = body as OutboundPayload;
  if (type === 'template') {
    const parameters = (message.template?.components ?? [])
      .filter((component) => component.type === 'body')
      .flatMap((component) => component.parameters ?? [])
      .map((parameter) => parameter.text ?? '');

    return { text: parameters.join(' '), choices: [], template: message.template?.name ?? '' };
  }
  if (type !== 'interactive') {
    return { text: message.text?.body ?? '', choices: [] };
  }

  const interactive = message.interactive ?? {};
  const text = interactive.body?.text ?? '';
  if (interactive.type === 'list') {
    const rows = (interactive.action?.sections ?? []).flatMap((section) => section.rows ?? []);
    const choices = rows.map((row) => ({
      kind: 'list_reply' as const,
      id: row.id ?? '',
      title: row.title ?? '',
      ...(row.description === undefined ? {} : { description: row.description }),
    }));

    return { text, choices };
  }
  const choices = (interactive.action?.buttons ?? []).map((button) => ({
    kind: 'button_reply' as const,
    id: button.reply?.id ?? '',
    title: button.reply?.title ?? '',
  }));

  return { text, choices };
}

/** A media file stored on the Graph API, as a media message refers to it. */
export interface WhatsAppMediaReference {
  id: string;
  mimeType: string;
}

/**
 * Builds the webhook payload of an audio message; `voice: true` marks a voice note recorded in the app
 * rather than a forwarded audio file.
 */
export function whatsAppAudioPayload(
  sender: WhatsAppSender,
  media: WhatsAppMediaReference & { voice: boolean },
): Record<string, unknown> {
  return payload(sender, {
    type: 'audio',
    audio: { id: media.id, mime_type: media.mimeType, voice: media.voice },
  });
}

/** Builds the webhook payload of an image message, such as a photo of a receipt. */
export function whatsAppImagePayload(
  sender: WhatsAppSender,
  media: WhatsAppMediaReference & { caption?: string },
): Record<string, unknown> {
  const image: Record<string, string> = { id: media.id, mime_type: media.mimeType };
  if (media.caption !== undefined) {
    image.caption = media.caption;
  }

  return payload(sender, { type: 'image', image });
}
