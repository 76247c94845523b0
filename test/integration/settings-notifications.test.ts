import { type ChatUser, callbackUpdate, textUpdate } from '../../infra/local/update-factory';
import type { User } from '../../lib/domain/user';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Telegram's limit on `callback_data`, in bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;
const SERVER_ERROR = {
  status: 500,
  body: { ok: false, error_code: 500, description: 'Internal Server Error' },
};

let nextUserId = 11120000;

function newChatUser(firstName: string): ChatUser {
  nextUserId += 1;
  return { id: nextUserId, firstName, languageCode: 'en' };
}

function lastBotMessage(harness: TestStack, user: ChatUser) {
  const messages = harness.fake.messages(user.id);
  return messages[messages.length - 1]!;
}

function callbackData(harness: TestStack, user: ChatUser, messageId: number): string[] {
  const message = harness.fake.messages(user.id).find((candidate) => candidate.messageId === messageId);
  return (message?.replyMarkup?.inline_keyboard ?? [])
    .flat()
    .map((button) => (button as { callback_data: string }).callback_data);
}

function lastNotice(harness: TestStack): unknown {
  const answers = harness.fake.calls.filter((call) => call.method === 'answerCallbackQuery');
  return answers[answers.length - 1]?.params.text;
}

async function say(harness: TestStack, user: ChatUser, text: string): Promise<string> {
  await harness.postUpdate(textUpdate(text, { user }));
  await harness.stack.settle();
  return lastBotMessage(harness, user).text;
}

async function press(harness: TestStack, user: ChatUser, messageId: number, data: string): Promise<void> {
  expect(callbackData(harness, user, messageId)).toContain(data);
  await harness.postUpdate(callbackUpdate(data, messageId, { user }));
  await harness.stack.settle();
}

async function storedUser(harness: TestStack, user: ChatUser): Promise<User> {
  const users = await harness.users();
  const found = users.find((candidate) => candidate.identities.includes(`telegram:${user.id}`));
  expect(found).toBeDefined();
  return found!;
}

describe('/settings notifications', () => {
  let harness: TestStack;
  /** Addresses, numbers and codes used below, none of which may appear in a log line. */
  const personalData: string[] = [];

  beforeAll(async () => {
    harness = await startTestStack({ notificationQueue: true });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('shows notification settings with buttons', async () => {
    const user = newChatUser('Bea');

    const text = await say(harness, user, '/settings');
    const message = lastBotMessage(harness, user);
    const data = callbackData(harness, user, message.messageId!);

    expect(text).toContain('Home currency: USD');
    expect(text).toContain('Weekly summary: off');
    expect(text).toContain('E-mail: not set up');
    expect(text).toContain('SMS: not set up');
    expect(text).toContain('Push: not available yet');
    expect(data).toEqual(
      expect.arrayContaining([
        'cur:EUR',
        'ntf:weekly:on',
        'ntf:email:on',
        'ntf:sms:on',
        'ntf:push:on',
        'ntf:all:off',
      ]),
    );
    for (const entry of data) {
      expect(Buffer.byteLength(entry, 'utf8')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    }
  });

  it('confirms an e-mail address with the mailed code', async () => {
    const user = newChatUser('Caio');
    const address = 'caio.confirm@example.com';

    const sent = await say(harness, user, `/settings email ${address}`);
    const notifications = await harness.takeNotifications();
    const code = String(notifications[0]?.data.code);
    personalData.push(address, code);
    const confirmed = await say(harness, user, code);
    const stored = await storedUser(harness, user);

    expect(sent).toContain(`I sent a 6-digit code to ${address}`);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      kind: 'email',
      template: 'email-confirmation',
      recipient: { emailAddress: address, userId: stored.userId },
      data: { expiresInMinutes: 15 },
    });
    expect(code).toMatch(/^\d{6}$/);
    expect(confirmed).toContain(`${address} is confirmed`);
    expect(stored.notifications?.email?.address).toBe(address);
    expect(stored.notifications?.channels).toEqual(['email']);
    expect(stored.emailConfirmation).toBeUndefined();
    expect(
      (await harness.transactions()).filter((transaction) => transaction.userId === stored.userId),
    ).toEqual([]);
  });

  it('passes the webhook correlation id on', async () => {
    const user = newChatUser('Dora');
    const logStart = harness.logLines.length;

    await say(harness, user, '/settings email dora.trace@example.com');
    const [notification] = await harness.takeNotifications();
    personalData.push('dora.trace@example.com', String(notification?.data.code));
    const queuedLine = harness.logLines
      .slice(logStart)
      .map((line) => JSON.parse(line) as { message?: string; correlationId?: string })
      .find((line) => line.message === 'Queued Telegram update');

    expect(queuedLine?.correlationId).toEqual(expect.any(String));
    expect(notification?.correlationId).toBe(queuedLine?.correlationId);
  });

  it('confirms with the code after the command', async () => {
    const user = newChatUser('Dora');
    const address = 'dora.command@example.com';
    await say(harness, user, `/settings email ${address}`);
    const [notification] = await harness.takeNotifications();
    const code = String(notification?.data.code);
    personalData.push(address, code);

    const confirmed = await say(harness, user, `/settings email ${code}`);
    const reused = await say(harness, user, `/settings email ${code}`);

    expect(confirmed).toContain(`${address} is confirmed`);
    expect(reused).toBe(`${address} is already confirmed.`);
  });

  it('confirms once when the reply is retried', async () => {
    const user = newChatUser('Duda');
    const address = 'duda.retry@example.com';
    await say(harness, user, `/settings email ${address}`);
    const [notification] = await harness.takeNotifications();
    const code = String(notification?.data.code);
    personalData.push(address, code);
    harness.fake.failNext('sendMessage', SERVER_ERROR);

    const reply = await say(harness, user, code);
    const stored = await storedUser(harness, user);

    const failedSends = harness.fake.calls.filter(
      (call) =>
        call.method === 'sendMessage' &&
        String(call.params.chat_id) === String(user.id) &&
        typeof call.response === 'object' &&
        call.response.status === 500,
    );

    expect(failedSends).toHaveLength(1);
    expect(reply).toBe(`${address} is already confirmed.`);
    expect(stored.notifications?.email?.address).toBe(address);
    expect(
      (await harness.transactions()).filter((transaction) => transaction.userId === stored.userId),
    ).toEqual([]);
  });

  it('counts a wrong code', async () => {
    const user = newChatUser('Edu');
    const address = 'edu.wrong@example.com';
    await say(harness, user, `/settings email ${address}`);
    const [notification] = await harness.takeNotifications();
    const code = String(notification?.data.code);
    const wrong = code === '000000' ? '000001' : '000000';
    personalData.push(address, code);

    const reply = await say(harness, user, wrong);
    const settings = await say(harness, user, '/settings');

    expect(reply).toBe('That code isn’t right. 4 attempts left.');
    expect((await storedUser(harness, user)).emailConfirmation?.failedAttempts).toBe(1);
    expect(settings).toContain(`E-mail: waiting for the code sent to ${address}`);
  });

  it('parses six digits without a pending code', async () => {
    const user = newChatUser('Fabi');

    const reply = await say(harness, user, '123456');

    expect(reply).not.toContain('code');
    expect(reply).not.toContain('e-mail');
  });

  it('saves an SMS number', async () => {
    const user = newChatUser('Gil');
    personalData.push('+15557654321');

    const saved = await say(harness, user, '/settings sms +1 (555) 765-4321');
    const stored = await storedUser(harness, user);

    expect(saved).toContain('Saved +15557654321, and SMS is on');
    expect(stored.notifications?.phoneNumber).toBe('+15557654321');
    expect(stored.notifications?.channels).toEqual(['sms']);
  });

  it.each(['555-1234', '+0123456789', '+1 555 CALL NOW', '+1234567890123456'])(
    'rejects SMS number %s',
    async (number) => {
      const user = newChatUser('Hugo');

      const reply = await say(harness, user, `/settings sms ${number}`);

      expect(reply).toContain('isn’t a phone number in international format');
      expect((await storedUser(harness, user)).notifications).toBeUndefined();
    },
  );

  it('turns the weekly summary on from its button', async () => {
    const user = newChatUser('Ines');
    personalData.push('+15550001111');
    await say(harness, user, '/settings sms +15550001111');
    await say(harness, user, '/settings');
    const message = lastBotMessage(harness, user);

    await press(harness, user, message.messageId!, 'ntf:weekly:on');
    const edited = harness.fake
      .messages(user.id)
      .find((candidate) => candidate.messageId === message.messageId);

    expect(lastNotice(harness)).toBe('Saved');
    expect(edited?.text).toContain('Weekly summary: on');
    expect(edited?.text).toContain('SMS: on (+15550001111)');
    expect(callbackData(harness, user, message.messageId!)).toContain('ntf:weekly:off');
    expect((await storedUser(harness, user)).notifications).toMatchObject({
      weeklySummary: true,
      channels: ['sms'],
    });
  });

  it('turns a channel off from its button', async () => {
    const user = newChatUser('Joao');
    personalData.push('+15550002222');
    await say(harness, user, '/settings sms +15550002222');
    await say(harness, user, '/settings');
    const message = lastBotMessage(harness, user);

    await press(harness, user, message.messageId!, 'ntf:sms:off');

    expect((await storedUser(harness, user)).notifications?.channels).toEqual([]);
    expect((await storedUser(harness, user)).notifications?.phoneNumber).toBe('+15550002222');
    expect(callbackData(harness, user, message.messageId!)).toContain('ntf:sms:on');
  });

  it('keeps push off without a device', async () => {
    const user = newChatUser('Kai');
    await say(harness, user, '/settings');
    const message = lastBotMessage(harness, user);

    await press(harness, user, message.messageId!, 'ntf:push:on');

    expect(lastNotice(harness)).toBe('Push needs the Financy mobile app, which isn’t available yet.');
    expect((await storedUser(harness, user)).notifications).toBeUndefined();
  });

  it('keeps e-mail off without a confirmed address', async () => {
    const user = newChatUser('Lia');
    await say(harness, user, '/settings');
    const message = lastBotMessage(harness, user);

    await press(harness, user, message.messageId!, 'ntf:email:on');

    expect(lastNotice(harness)).toBe(
      'Add and confirm an e-mail address first: /settings email you@example.com',
    );
    expect((await storedUser(harness, user)).notifications).toBeUndefined();
  });

  it('turns all notifications off', async () => {
    const user = newChatUser('Mia');
    personalData.push('+15550003333');
    await say(harness, user, '/settings sms +15550003333');
    await say(harness, user, '/settings notifications on');

    const reply = await say(harness, user, '/settings notifications off');
    const stored = await storedUser(harness, user);

    expect(reply).toContain('All notifications are off');
    expect(stored.notifications).toEqual({ weeklySummary: false, channels: [], phoneNumber: '+15550003333' });
  });

  it('turns all notifications off from the button', async () => {
    const user = newChatUser('Nuno');
    personalData.push('+15550004444');
    await say(harness, user, '/settings sms +15550004444');
    await say(harness, user, '/settings notifications on');
    await say(harness, user, '/settings');
    const message = lastBotMessage(harness, user);

    await press(harness, user, message.messageId!, 'ntf:all:off');

    expect((await storedUser(harness, user)).notifications).toMatchObject({
      weeklySummary: false,
      channels: [],
    });
  });

  it('keeps currency and time zone settings', async () => {
    const user = newChatUser('Olga');

    const currency = await say(harness, user, '/settings currency cad');
    const timeZone = await say(harness, user, '/settings timezone Europe/Lisbon');
    await say(harness, user, '/settings');
    await press(harness, user, lastBotMessage(harness, user).messageId!, 'cur:GBP');
    const stored = await storedUser(harness, user);

    expect(currency).toContain('Home currency CAD');
    expect(timeZone).toContain('time zone Europe/Lisbon');
    expect(stored.homeCurrency).toBe('GBP');
    expect(stored.timeZone).toBe('Europe/Lisbon');
  });

  it('keeps addresses, numbers and codes out of logs', async () => {
    const user = newChatUser('Quim');
    const address = 'Quim.Privacy@Example.com';
    const phoneNumber = '+15550009999';
    await say(harness, user, `/settings email ${address}`);
    const [notification] = await harness.takeNotifications();
    const code = String(notification?.data.code);
    await say(harness, user, code === '999999' ? '999998' : '999999');
    await say(harness, user, code);
    await say(harness, user, `/settings sms ${phoneNumber}`);
    personalData.push(address, address.toLowerCase(), phoneNumber, code);

    const logs = harness.logLines.join('\n');

    expect(logs).toContain('E-mail confirmation code checked');
    for (const value of personalData) {
      expect(logs).not.toContain(value);
    }
  });
});

describe('/settings email without a notification queue', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('answers that e-mail is not available', async () => {
    const user = newChatUser('Paz');

    const reply = await say(harness, user, '/settings email paz@example.com');

    expect(reply).toBe('E-mail isn’t available here, so I can’t add an address.');
    expect((await storedUser(harness, user)).emailConfirmation).toBeUndefined();
  });
});
