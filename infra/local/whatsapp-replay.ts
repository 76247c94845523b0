import type { FakeSentMessage, FakeWhatsApp } from './fake-whatsapp/types';
import { postWhatsAppPayload, whatsAppWebhookUrlOf } from './local-whatsapp';
import type { ReplayChannel, ReplayLine } from './replay';
import type { LocalStack } from './stack';
import { isWhatsAppPayload, showSentMessage, whatsAppSenders } from './whatsapp-payload';

function replyLine(message: FakeSentMessage): ReplayLine {
  const rendered = showSentMessage(message.type, message.payload);

  return {
    type: 'reply',
    chat_id: `${message.phoneNumberId}:${message.waId}`,
    text: rendered.text,
    buttons: rendered.choices.map((choice) => choice.title),
    ...(rendered.template === undefined ? {} : { template: rendered.template }),
  };
}

/**
 * Returns the WhatsApp channel of a replay. It POSTs payloads with `object: 'whatsapp_business_account'` to
 * the WhatsApp webhook, signed with `appSecret`, and reads replies from the messages the fake Graph API accepted.
 * Before each POST every sender in the payload opens the 24-hour window on the fake, as writing does on
 * WhatsApp, so replies go out as free-form messages and not as templates.
 */
export function whatsAppReplayChannel(
  stack: LocalStack,
  fake: FakeWhatsApp,
  appSecret: string,
): ReplayChannel {
  const webhookUrl = whatsAppWebhookUrlOf(stack);

  return {
    accepts: isWhatsAppPayload,
    describe: (delivery, index) => {
      const messageId = firstMessageId(delivery);
      return `WhatsApp payload #${index + 1}${messageId === undefined ? '' : ` (${messageId})`}`;
    },
    post: (delivery) => {
      for (const waId of whatsAppSenders(delivery)) {
        fake.userWrote(waId);
      }
      return postWhatsAppPayload(webhookUrl, appSecret, delivery);
    },
    mark: () => fake.sent().length,
    repliesSince: (mark) => fake.sent().slice(mark).map(replyLine),
  };
}

function firstMessageId(payload: unknown): string | undefined {
  const value = (
    payload as { entry?: Array<{ changes?: Array<{ value?: { messages?: Array<{ id?: unknown }> } }> }> }
  ).entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id;

  return typeof value === 'string' ? value : undefined;
}
