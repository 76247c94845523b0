import type { ChatUser } from '../../infra/local/update-factory';
import { textUpdate } from '../../infra/local/update-factory';
import { whatsAppTextPayload } from '../../infra/local/whatsapp-payload';
import type { WhatsAppWebhookPayload } from '../../lib/channels/whatsapp/payload';
import { startTestStack, type TestStack, type TestWhatsApp } from '../support/test-stack';

const TELEGRAM_USER: ChatUser = { id: 11120001, firstName: 'Rita', languageCode: 'en' };
const WA_ID = '5511900000201';
const PHONE_NUMBER_ID = '200000000000002';

function whatsAppText(body: string, waId = WA_ID): WhatsAppWebhookPayload {
  return whatsAppTextPayload(
    { phoneNumberId: PHONE_NUMBER_ID, user: { waId, name: 'Rita' } },
    body,
  ) as unknown as WhatsAppWebhookPayload;
}

/** Texts the bot sent to the Telegram user, in order. */
function telegramReplies(harness: TestStack): string[] {
  return harness.fake.calls
    .filter(
      (call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(TELEGRAM_USER.id),
    )
    .map((call) => String(call.params.text));
}

/** Texts (or template parameters) the bot sent to the WhatsApp user, in order. */
function whatsAppReplies(whatsapp: TestWhatsApp, waId = WA_ID): string[] {
  return whatsapp.fake
    .sent()
    .filter((message) => message.waId === waId)
    .map((message) => {
      const payload = message.payload as {
        text?: { body: string };
        interactive?: { body: { text: string } };
      };
      return payload.text?.body ?? payload.interactive?.body.text ?? '';
    });
}

/** One person on both apps: after /link, both see the same account. */
describe('Linking a Telegram and a WhatsApp identity', () => {
  let harness: TestStack;
  let whatsapp: TestWhatsApp;

  beforeAll(async () => {
    harness = await startTestStack({ whatsapp: true });
    whatsapp = harness.whatsapp!;
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('merges what each app sees, with a code pasted from Telegram into WhatsApp', async () => {
    await harness.postUpdate(textUpdate('coffee 4.50', { user: TELEGRAM_USER }));
    await whatsapp.post(whatsAppText('uber 32,50'));
    await harness.stack.settle();
    await harness.postUpdate(textUpdate('/link', { user: TELEGRAM_USER }));
    await harness.stack.settle();
    const code = /([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(telegramReplies(harness).at(-1) ?? '')?.[1];
    expect(code).toBeDefined();

    await whatsapp.post(whatsAppText(code!));
    await harness.stack.settle();
    expect(whatsAppReplies(whatsapp).at(-1)).toContain('Linked!');

    const owners = new Set(
      (await harness.transactions())
        .filter((transaction) => ['coffee', 'uber'].includes(transaction.description))
        .map((transaction) => transaction.userId),
    );
    expect(owners.size).toBe(1);

    await harness.postUpdate(textUpdate('/balance', { user: TELEGRAM_USER }));
    await whatsapp.post(whatsAppText('/balance'));
    await harness.stack.settle();
    const onTelegram = telegramReplies(harness).at(-1)!;
    const onWhatsApp = whatsAppReplies(whatsapp).at(-1)!;
    for (const balance of [onTelegram, onWhatsApp]) {
      expect(balance).toContain('4.50');
      expect(balance).toContain('32.50');
    }
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });

  it('refuses a code that was already used', async () => {
    await harness.postUpdate(textUpdate('/link', { user: { ...TELEGRAM_USER, id: 11120002 } }));
    await harness.stack.settle();
    const reply = harness.fake.calls
      .filter((call) => call.method === 'sendMessage' && String(call.params.chat_id) === '11120002')
      .map((call) => String(call.params.text))
      .at(-1);
    const code = /([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(reply ?? '')?.[1];
    expect(code).toBeDefined();

    const otherWaId = '5511900000202';
    await whatsapp.post(whatsAppText(`/link ${code}`, otherWaId));
    await harness.stack.settle();
    expect(whatsAppReplies(whatsapp, otherWaId).at(-1)).toContain('Linked!');
    const thirdWaId = '5511900000203';
    await whatsapp.post(whatsAppText(`/link ${code}`, thirdWaId));
    await harness.stack.settle();

    const replies = whatsAppReplies(whatsapp, thirdWaId);
    expect(replies).toHaveLength(1);
    expect(replies[0]).not.toContain('Linked!');
  });
});
