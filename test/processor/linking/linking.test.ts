import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { formatMoney } from '../../../lib/domain/money';
import { hashLinkCode, normalizeLinkCode } from '../../../lib/processor/linking/link-codes';
import { StoreError } from '../../../lib/store/errors';
import { type ChatAccount, LinkingHarness, telegramAccount, whatsAppAccount } from './harness';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

let harness: LinkingHarness;
/** Every code shown in a reply, with its normalized form and hash; none may appear in a log line. */
const secrets: string[] = [];

beforeAll(async () => {
  harness = await LinkingHarness.start();
});

afterAll(() => {
  harness?.stop();
});

/** Issues a code from `account` and remembers it and its hash as secrets. */
async function issueCode(account: ChatAccount): Promise<string> {
  const code = await harness.issueCode(account);
  const normalized = normalizeLinkCode(code)!;
  secrets.push(code, normalized, hashLinkCode(normalized));

  return code;
}

/** Returns another valid code than `code`, in the same alphabet. */
function wrongCode(code: string, index: number): string {
  const other = `${'ABCDEFGH'[index % 8]}${'23456789'[index % 8]}QF-3M9D`;

  return other === code ? 'ZZZZ-ZZZZ' : other;
}

/** Returns true for the transaction that re-points identities and retires the redeeming user. */
function isLinkCommit(command: unknown): boolean {
  return (
    command instanceof TransactWriteCommand && JSON.stringify(command.input).includes('lastLinkEventKey')
  );
}

async function userIdOf(account: ChatAccount): Promise<string> {
  const user = await harness.userOf(account);
  expect(user).toBeDefined();

  return user!.userId;
}

describe('/link', () => {
  it('merges what Telegram and WhatsApp identities see', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/add 12.50 lunch');
    await harness.say(telegram, '/settings timezone Europe/Lisbon');
    await harness.say(whatsapp, '/add 20 USD taxi');
    await harness.say(whatsapp, '/add 5 USD coffee');
    const telegramUserId = await userIdOf(telegram);
    const whatsAppUserId = await userIdOf(whatsapp);

    const code = await issueCode(telegram);
    const issued = harness.lastReply(telegram);
    const linked = await harness.say(whatsapp, `/link ${code}`);
    const telegramBalance = await harness.say(telegram, '/balance');
    const whatsAppBalance = await harness.say(whatsapp, '/balance');
    const telegramStats = await harness.say(telegram, '/stats');
    const whatsAppStats = await harness.say(whatsapp, '/stats');
    const merged = await harness.user(whatsAppUserId);
    const linkedUser = await harness.user(telegramUserId);

    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(issued).toContain(`Send <code>/link ${code}</code> to me on WhatsApp within 10 minutes`);
    expect(linked).toContain('Telegram and WhatsApp now share one account');
    expect(linked).toContain('home currency <b>USD</b>, time zone <b>Europe/Lisbon</b>');
    expect(await userIdOf(whatsapp)).toBe(telegramUserId);
    expect(await userIdOf(telegram)).toBe(telegramUserId);
    expect(linkedUser?.identities).toEqual([telegram.identity, whatsapp.identity]);
    expect(linkedUser?.homeCurrency).toBe('USD');
    expect(linkedUser?.linkCode).toBeUndefined();
    expect(merged).toMatchObject({ mergedInto: telegramUserId, status: 'inactive', identities: [] });
    expect(merged?.pendingLink).toBeUndefined();
    expect(await harness.transactionItems(whatsAppUserId)).toEqual([]);
    expect(await harness.transactionItems(telegramUserId)).toHaveLength(3);
    expect(telegramBalance).toBe(whatsAppBalance);
    expect(telegramBalance).toContain('Transactions: 3');
    expect(telegramBalance).toContain(`Spent: <b>${formatMoney(3750, 'USD')}</b>`);
    expect(telegramStats).toBe(whatsAppStats);
    expect(await harness.linkCodeItems()).toEqual([]);
  });

  it('keeps the source of moved transactions, so an edit still updates them', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const recorded = harness.event(whatsapp, 'taxi 18 USD');
    if (recorded.type !== 'text') {
      throw new Error('expected a text event');
    }
    await harness.handle(recorded);
    const whatsAppUserId = await userIdOf(whatsapp);
    const [original] = await harness.transactionItems(whatsAppUserId);
    const code = await issueCode(telegram);
    await harness.say(whatsapp, `/link ${code}`);
    const telegramUserId = await userIdOf(telegram);

    await harness.handle({
      type: 'edited-text',
      eventKey: `${recorded.eventKey}-edit`,
      sender: recorded.sender,
      chatId: recorded.chatId,
      messageId: recorded.messageId,
      text: 'taxi 21 USD',
      sentAt: recorded.sentAt,
    });
    const [moved] = await harness.transactionItems(telegramUserId);

    expect(original?.source).toEqual({
      channel: 'whatsapp',
      chatId: whatsapp.chatId,
      messageId: recorded.messageId,
    });
    expect(moved?.transactionId).toBe(original?.transactionId);
    expect(moved?.source).toEqual(original?.source);
    expect(moved?.amountMinor).toBe(2100);
    expect(await harness.transactionItems(whatsAppUserId)).toEqual([]);
    expect(harness.lastReply(whatsapp)).toContain('Updated');
  });

  it('drops the pending edit of the merged user', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    await harness.say(whatsapp, '/add 9 USD snacks');
    const whatsAppUserId = await userIdOf(whatsapp);
    const [transaction] = await harness.transactionItems(whatsAppUserId);
    await harness.dependencies.users.setPendingAction(whatsAppUserId, {
      type: 'edit-transaction',
      transactionId: transaction!.transactionId,
      expiresAtEpochMs: harness.nowMs + 10 * MINUTE_MS,
    });
    const code = await issueCode(telegram);

    await harness.say(whatsapp, `/link ${code}`);
    await harness.say(whatsapp, '/add 4 USD water');

    expect((await harness.user(whatsAppUserId))?.pendingAction).toBeUndefined();
    expect(await harness.transactionItems(await userIdOf(telegram))).toHaveLength(2);
  });

  it('accepts the code in lower case without the dash', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);

    const linked = await harness.say(whatsapp, `/link ${code.replace('-', ' ').toLowerCase()}`);

    expect(linked).toContain('now share one account');
    expect(await userIdOf(whatsapp)).toBe(await userIdOf(telegram));
  });

  it('rejects an expired code', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);
    harness.nowMs += 10 * MINUTE_MS;

    const reply = await harness.say(whatsapp, `/link ${code}`);
    const redeemer = await harness.userOf(whatsapp);

    expect(reply).toBe('That link code has expired. Send /link in your other app for a new one.');
    expect(redeemer?.userId).not.toBe(await userIdOf(telegram));
    expect(redeemer?.linkCodeFailures?.count).toBe(1);
    expect(await harness.linkCodeItems()).toEqual([]);
  });

  it('rejects a code used before', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    const otherWhatsApp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);
    await harness.say(whatsapp, `/link ${code}`);

    const reused = await harness.say(otherWhatsApp, `/link ${code}`);

    expect(reused).toBe(
      'I don’t know that link code. Check it, or send /link in your other app for a new one.',
    );
    expect(await userIdOf(otherWhatsApp)).not.toBe(await userIdOf(telegram));
    expect((await harness.userOf(telegram))?.identities).toEqual([telegram.identity, whatsapp.identity]);
  });

  it('stops looking codes up after five wrong ones in an hour', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);

    const wrongReplies: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      wrongReplies.push(await harness.say(whatsapp, `/link ${wrongCode(code, attempt)}`));
    }
    const blocked = await harness.say(whatsapp, `/link ${code}`);
    const blockedUserId = await userIdOf(whatsapp);
    harness.nowMs += HOUR_MS;
    const freshCode = await issueCode(telegram);
    const linked = await harness.say(whatsapp, `/link ${freshCode}`);

    expect(wrongReplies).toEqual(
      Array(5).fill('I don’t know that link code. Check it, or send /link in your other app for a new one.'),
    );
    expect(blocked).toBe('Too many wrong link codes. Try again in 60 minutes.');
    expect(blockedUserId).not.toBe(await userIdOf(telegram));
    expect(linked).toContain('now share one account');
    expect(await userIdOf(whatsapp)).toBe(await userIdOf(telegram));
  });

  it('does not count a malformed code as an attempt', async () => {
    const whatsapp = whatsAppAccount();

    const reply = await harness.say(whatsapp, '/link hello there');

    expect(reply).toContain('That isn’t a link code.');
    expect((await harness.userOf(whatsapp))?.linkCodeFailures).toBeUndefined();
  });

  it('issues at most five codes a day, each replacing the last', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const codes: string[] = [];
    for (let request = 0; request < 5; request += 1) {
      codes.push(await issueCode(telegram));
      harness.nowMs += MINUTE_MS;
    }

    const refused = await harness.say(telegram, '/link');
    const telegramUserId = await userIdOf(telegram);
    const stored = (await harness.linkCodeItems()).filter((item) => item.userId === telegramUserId);
    const replaced = await harness.say(whatsapp, `/link ${codes[0]}`);
    harness.nowMs += 24 * HOUR_MS;
    const nextDay = await issueCode(telegram);
    const linked = await harness.say(whatsapp, `/link ${nextDay}`);

    expect(new Set(codes).size).toBe(5);
    expect(refused).toBe(
      'I’ve made 5 link codes in the last 24 hours, so I can’t make another one now. Try again tomorrow.',
    );
    expect(stored.map((item) => item.identity)).toEqual([
      `link-code#${hashLinkCode(normalizeLinkCode(codes[4]!)!)}`,
    ]);
    expect(replaced).toContain('I don’t know that link code');
    expect(linked).toContain('now share one account');
  });

  it('sends a working code when the issue reply is retried', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const issue = harness.event(telegram, '/link');
    harness.channels.telegram.failNextSend();

    await expect(harness.handle(issue)).rejects.toThrow('fake channel: send failed');
    await harness.handle(issue);
    const code = /<code>([2-9A-Z]{4}-[2-9A-Z]{4})<\/code>/.exec(harness.lastReply(telegram))?.[1] ?? '';
    secrets.push(code);
    const issuer = await harness.userOf(telegram);
    const linked = await harness.say(whatsapp, `/link ${code}`);

    expect(issuer?.linkCodeRequests?.count).toBe(1);
    expect(linked).toContain('now share one account');
  });

  it('keeps the sent code when the issue event runs again', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const issue = harness.event(telegram, '/link');
    harness.failNext(
      (command) =>
        command instanceof UpdateCommand &&
        command.input.Key?.key === `event:${issue.eventKey}` &&
        command.input.ExpressionAttributeValues?.[':completed'] === 'completed',
    );

    await expect(harness.handle(issue)).rejects.toThrow(StoreError);
    const code = /<code>([2-9A-Z]{4}-[2-9A-Z]{4})<\/code>/.exec(harness.lastReply(telegram))?.[1] ?? '';
    secrets.push(code);
    const repliesAfterFirst = harness.replyCount(telegram);
    // The claim of the failed attempt stays in progress until its lease of 90 seconds runs out.
    harness.nowMs += 2 * MINUTE_MS;
    await harness.handle(issue);
    const linked = await harness.say(whatsapp, `/link ${code}`);

    expect(code).not.toBe('');
    expect(harness.replyCount(telegram)).toBe(repliesAfterFirst);
    expect(linked).toContain('now share one account');
  });

  it('refuses a code sent from the account that made it', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);

    const same = await harness.say(telegram, `/link ${code}`);
    const linked = await harness.say(whatsapp, `/link ${code}`);

    expect(same).toBe(
      'This chat already belongs to the account that made the code, so there’s nothing to link. ' +
        'Send the code from your other app.',
    );
    expect((await harness.userOf(telegram))?.linkCodeFailures).toBeUndefined();
    expect(linked).toContain('now share one account');
  });

  it('refuses when the issuer already has an identity on the channel', async () => {
    const issuer = whatsAppAccount();
    const redeemer = whatsAppAccount();
    const otherTelegram = telegramAccount();
    const telegram = telegramAccount();
    await harness.say(issuer, '/start');
    await harness.say(redeemer, '/add 3 USD gum');
    const code = await issueCode(issuer);

    const refused = await harness.say(redeemer, `/link ${code}`);
    const redeemerUserId = await userIdOf(redeemer);
    await harness.say(telegram, '/start');
    const telegramCode = await issueCode(telegram);
    const refusedTelegram = await harness.say(otherTelegram, `/link ${telegramCode}`);

    expect(refused).toBe(
      'The account that made this code already has WhatsApp, and an account can have only one. Nothing changed.',
    );
    expect(refusedTelegram).toContain('already has Telegram');
    expect(redeemerUserId).not.toBe(await userIdOf(issuer));
    expect(await harness.transactionItems(redeemerUserId)).toHaveLength(1);
    expect((await harness.userOf(issuer))?.identities).toEqual([issuer.identity]);
  });

  it('tells a linked account there is nothing left to link', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    await harness.say(whatsapp, `/link ${await issueCode(telegram)}`);

    const reply = await harness.say(whatsapp, '/link');

    expect(reply).toBe('This account already uses Telegram and WhatsApp, so there’s nothing left to link.');
  });

  it('moves nothing twice when the redeem event is delivered again', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/add 7 lunch');
    await harness.say(whatsapp, '/add 11 USD dinner');
    const code = await issueCode(telegram);
    const redeem = harness.event(whatsapp, `/link ${code}`);

    await harness.handle(redeem);
    const repliesAfterFirst = harness.replyCount(whatsapp);
    await harness.handle(redeem);
    const telegramUserId = await userIdOf(telegram);

    expect(harness.replyCount(whatsapp)).toBe(repliesAfterFirst);
    expect(await harness.transactionItems(telegramUserId)).toHaveLength(2);
    expect((await harness.user(telegramUserId))?.identities).toEqual([telegram.identity, whatsapp.identity]);
  });

  it('reports the link when the retry follows a failed reply', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    await harness.say(whatsapp, '/add 11 USD dinner');
    const code = await issueCode(telegram);
    const redeem = harness.event(whatsapp, `/link ${code}`);
    harness.channels.whatsapp.failNextSend();

    await expect(harness.handle(redeem)).rejects.toThrow('fake channel: send failed');
    await harness.handle(redeem);

    expect(harness.lastReply(whatsapp)).toContain('now share one account');
    expect(await harness.transactionItems(await userIdOf(telegram))).toHaveLength(1);
  });

  it('finishes the link on retry after a failure before the commit', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/add 7 lunch');
    await harness.say(whatsapp, '/add 11 USD dinner');
    const telegramUserId = await userIdOf(telegram);
    const whatsAppUserId = await userIdOf(whatsapp);
    const code = await issueCode(telegram);
    const redeem = harness.event(whatsapp, `/link ${code}`);
    harness.failNext(isLinkCommit);

    await expect(harness.handle(redeem)).rejects.toThrow(StoreError);
    const halfway = {
      resolvesTo: await userIdOf(whatsapp),
      issuerItems: (await harness.transactionItems(telegramUserId)).length,
      pending: (await harness.user(whatsAppUserId))?.pendingLink?.intoUserId,
    };
    // The queue's retry comes after the code's lifetime: the reservation keeps it valid for this redeemer.
    harness.nowMs += 15 * MINUTE_MS;
    await harness.handle(redeem);

    expect(halfway).toEqual({ resolvesTo: whatsAppUserId, issuerItems: 2, pending: telegramUserId });
    expect(harness.lastReply(whatsapp)).toContain('now share one account');
    expect(await userIdOf(whatsapp)).toBe(telegramUserId);
    expect(await harness.transactionItems(telegramUserId)).toHaveLength(2);
    expect(await harness.transactionItems(whatsAppUserId)).toEqual([]);
    expect((await harness.user(whatsAppUserId))?.pendingLink).toBeUndefined();
  });

  it('moves transactions back when the code is replaced during the link', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    await harness.say(whatsapp, '/add 11 USD dinner');
    const whatsAppUserId = await userIdOf(whatsapp);
    const code = await issueCode(telegram);
    let replacement = '';
    harness.beforeNext(isLinkCommit, async () => {
      replacement = await issueCode(telegram);
    });

    const reply = await harness.say(whatsapp, `/link ${code}`);
    const telegramUserId = await userIdOf(telegram);
    const [returned] = await harness.transactionItems(whatsAppUserId);

    expect(replacement).not.toBe('');
    expect(reply).toBe(
      'That link code was used or replaced just now, so nothing changed. Send /link in your other app for a new one.',
    );
    expect(await userIdOf(whatsapp)).toBe(whatsAppUserId);
    expect(await harness.transactionItems(telegramUserId)).toEqual([]);
    expect(returned?.description).toBe('dinner');
    expect(returned?.movedFromUserId).toBeUndefined();
    expect((await harness.user(whatsAppUserId))?.pendingLink).toBeUndefined();
    expect(await harness.say(whatsapp, `/link ${replacement}`)).toContain('now share one account');
  });

  it('lets one of two redeemers of a code win', async () => {
    const telegram = telegramAccount();
    const first = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);
    let secondReply = '';
    harness.beforeNext(isLinkCommit, async () => {
      secondReply = await harness.say(whatsAppAccount(), `/link ${code}`);
    });

    const firstReply = await harness.say(first, `/link ${code}`);

    expect(firstReply).toContain('now share one account');
    expect(secondReply).toBe(
      'I don’t know that link code. Check it, or send /link in your other app for a new one.',
    );
    expect((await harness.userOf(telegram))?.identities).toEqual([telegram.identity, first.identity]);
  });

  it('keeps codes and their hashes out of the logs', async () => {
    const telegram = telegramAccount();
    const whatsapp = whatsAppAccount();
    await harness.say(telegram, '/start');
    const code = await issueCode(telegram);
    await harness.say(whatsapp, `/link ${code.toLowerCase()}`);
    secrets.push(code.toLowerCase());

    const logs = harness.logLines.join('\n');

    expect(logs).toContain('Link code requested');
    expect(logs).toContain('Link code redeemed');
    expect(secrets).toContain(code);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
    }
  });
});
