import type { User } from '../../lib/domain/user';
import type { Notification } from '../../lib/notify/notification';
import {
  type CodeRequestContext,
  EMAIL_CONFIRMATION_LIMITS,
  EmailConfirmations,
  type EmailConfirmationsOptions,
} from '../../lib/notify/preferences/email-confirmation';
import type { NotificationQueue } from '../../lib/notify/preferences/notification-queue';
import { UserStore } from '../../lib/store/user-store';
import { ManualClock } from '../resilience/support';
import { createLocalTables, type LocalTables } from '../store/local-tables';

const START_MS = Date.parse('2026-03-18T09:00:00Z');
const ADDRESS = 'ana.silva@example.com';
const MINUTE_MS = 60_000;

/** A notification queue that records what it receives, and fails once after `failNext` is set. */
class RecordingQueue implements NotificationQueue {
  readonly sent: Notification[] = [];
  failNext = false;

  async enqueue(notification: Notification): Promise<string> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('queue unavailable');
    }
    this.sent.push(notification);
    return `message-${this.sent.length}`;
  }

  lastCode(): string {
    const last = this.sent[this.sent.length - 1];
    return String(last?.data.code);
  }
}

let local: LocalTables;
let requestCounter = 0;

beforeAll(async () => {
  local = await createLocalTables('confirm');
});

afterAll(() => {
  local?.destroy();
});

function nextRequest(): CodeRequestContext {
  requestCounter += 1;
  return { requestId: `telegram:${700_000 + requestCounter}`, correlationId: `telegram-${requestCounter}` };
}

async function setup(options: Partial<EmailConfirmationsOptions> = {}) {
  const clock = new ManualClock(START_MS);
  const queue = new RecordingQueue();
  const users = new UserStore({
    client: local.client,
    usersTable: local.tables.users,
    identitiesTable: local.tables.identities,
    defaultCurrency: 'EUR',
    defaultTimeZone: 'Europe/Lisbon',
    now: clock.now,
  });
  requestCounter += 1;
  const { user } = await users.findOrCreate({
    identity: `telegram:${88_000_000 + requestCounter}`,
    displayName: 'Ana',
  });
  const confirmations = new EmailConfirmations({ users, queue, now: clock.now, ...options });
  const fresh = async (): Promise<User> => (await users.get(user.userId))!;

  return { clock, queue, users, confirmations, userId: user.userId, fresh };
}

describe('EmailConfirmations.requestCode', () => {
  it('queues a six-digit code e-mail', async () => {
    const { confirmations, queue, fresh, userId } = await setup();

    const result = await confirmations.requestCode(await fresh(), ` ${ADDRESS} `, nextRequest());

    expect(result).toMatchObject({ status: 'sent', address: ADDRESS, expiresInMinutes: 15 });
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]).toMatchObject({
      kind: 'email',
      template: 'email-confirmation',
      recipient: { userId, emailAddress: ADDRESS },
      data: { displayName: 'Ana', expiresInMinutes: 15 },
    });
    expect(queue.lastCode()).toMatch(/^\d{6}$/);
  });

  it('stores a salted hash, not the code', async () => {
    const { confirmations, queue, fresh } = await setup();

    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    const stored = await fresh();

    expect(stored.emailConfirmation).toMatchObject({
      address: ADDRESS,
      enqueued: true,
      failedAttempts: 0,
      expiresAtEpochMs: START_MS + 15 * MINUTE_MS,
    });
    expect(stored.emailConfirmation?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.emailConfirmation?.codeSalt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain(queue.lastCode());
  });

  it('sends one e-mail for a retried request', async () => {
    const { confirmations, queue, fresh } = await setup();
    const request = nextRequest();

    await confirmations.requestCode(await fresh(), ADDRESS, request);
    const retry = await confirmations.requestCode(await fresh(), ADDRESS, request);

    expect(retry.status).toBe('sent');
    expect(queue.sent).toHaveLength(1);
  });

  it('sends a working code when the retry follows a failed send', async () => {
    const { confirmations, queue, fresh } = await setup();
    const request = nextRequest();
    queue.failNext = true;

    await expect(confirmations.requestCode(await fresh(), ADDRESS, request)).rejects.toThrow(
      'queue unavailable',
    );
    await confirmations.requestCode(await fresh(), ADDRESS, request);
    const result = await confirmations.confirm(await fresh(), queue.lastCode());

    expect(queue.sent).toHaveLength(1);
    expect(result.status).toBe('confirmed');
  });

  it('waits a minute between codes', async () => {
    const { confirmations, clock, fresh } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    clock.advance(20_000);

    const result = await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());

    expect(result).toEqual({ status: 'too-soon', retryAfterSeconds: 40 });
  });

  it('sends at most five codes a day', async () => {
    const { confirmations, clock, queue, fresh } = await setup();
    for (let index = 0; index < 5; index += 1) {
      await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
      clock.advance(MINUTE_MS);
    }

    const sixth = await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    clock.advance(24 * 60 * MINUTE_MS);
    const nextDay = await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());

    expect(sixth).toEqual({ status: 'limit-reached', maxCodes: 5 });
    expect(nextDay.status).toBe('sent');
    expect(queue.sent).toHaveLength(6);
  });

  it('reports unavailable without a queue', async () => {
    const { users, fresh, clock } = await setup();
    const confirmations = new EmailConfirmations({ users, now: clock.now });

    await expect(confirmations.requestCode(await fresh(), ADDRESS, nextRequest())).resolves.toEqual({
      status: 'unavailable',
    });
  });

  it.each(['ana', 'ana@localhost', 'ana silva@example.com', 'a@b@example.com', '<ana@example.com>'])(
    'rejects address %s',
    async (address) => {
      const { confirmations, queue, fresh } = await setup();

      const result = await confirmations.requestCode(await fresh(), address, nextRequest());

      expect(result).toEqual({ status: 'invalid-address' });
      expect(queue.sent).toHaveLength(0);
    },
  );

  it('reports an address that is already confirmed', async () => {
    const { confirmations, queue, fresh } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    await confirmations.confirm(await fresh(), queue.lastCode());

    const result = await confirmations.requestCode(await fresh(), ADDRESS.toUpperCase(), nextRequest());

    expect(result.status).toBe('already-confirmed');
    expect(queue.sent).toHaveLength(1);
  });
});

describe('EmailConfirmations.confirm', () => {
  it('confirms the address and turns e-mail on', async () => {
    const { confirmations, queue, fresh, clock } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    clock.advance(5 * MINUTE_MS);

    const result = await confirmations.confirm(await fresh(), queue.lastCode());
    const stored = await fresh();

    expect(result).toMatchObject({ status: 'confirmed', address: ADDRESS });
    expect(stored.notifications).toEqual({
      weeklySummary: false,
      channels: ['email'],
      email: { address: ADDRESS, confirmedAtEpochMs: START_MS + 5 * MINUTE_MS },
    });
    expect(stored.emailConfirmation).toBeUndefined();
  });

  it('accepts a code once', async () => {
    const { confirmations, queue, fresh } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    const pending = await fresh();

    const first = await confirmations.confirm(pending, queue.lastCode());
    const again = await confirmations.confirm(await fresh(), queue.lastCode());
    const withStaleUser = await confirmations.confirm(pending, queue.lastCode());

    expect(first.status).toBe('confirmed');
    expect(again.status).toBe('none-pending');
    expect(withStaleUser.status).toBe('none-pending');
  });

  it('confirms one of two concurrent uses', async () => {
    const { confirmations, queue, fresh } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    const pending = await fresh();

    const results = await Promise.all([
      confirmations.confirm(pending, queue.lastCode()),
      confirmations.confirm(pending, queue.lastCode()),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['confirmed', 'none-pending']);
  });

  it('accepts a code until it expires', async () => {
    const { confirmations, queue, fresh, clock } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    clock.advance(15 * MINUTE_MS - 1);

    await expect(confirmations.confirm(await fresh(), queue.lastCode())).resolves.toMatchObject({
      status: 'confirmed',
    });
  });

  it('rejects an expired code', async () => {
    const { confirmations, queue, fresh, clock } = await setup();
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    clock.advance(15 * MINUTE_MS);

    const result = await confirmations.confirm(await fresh(), queue.lastCode());
    const stored = await fresh();

    expect(result).toEqual({ status: 'expired' });
    expect(stored.emailConfirmation).toBeUndefined();
    expect(stored.notifications?.email).toBeUndefined();
  });

  it('counts wrong codes', async () => {
    const { confirmations, queue, fresh } = await setup({ generateCode: () => '111111' });
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());

    const result = await confirmations.confirm(await fresh(), '222222');

    expect(queue.lastCode()).toBe('111111');
    expect(result).toEqual({ status: 'wrong-code', attemptsLeft: 4 });
    expect((await fresh()).emailConfirmation?.failedAttempts).toBe(1);
  });

  it('drops the code after five wrong attempts', async () => {
    const { confirmations, fresh } = await setup({ generateCode: () => '111111' });
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    const results = [];
    for (let attempt = 0; attempt < EMAIL_CONFIRMATION_LIMITS.maxFailedAttempts; attempt += 1) {
      results.push(await confirmations.confirm(await fresh(), '222222'));
    }

    const rightCodeAfterwards = await confirmations.confirm(await fresh(), '111111');

    expect(results.map((result) => result.status)).toEqual([
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'too-many-attempts',
    ]);
    expect(rightCodeAfterwards).toEqual({ status: 'none-pending' });
    expect((await fresh()).notifications?.email).toBeUndefined();
  });

  it('rejects the right code from a stale read after five wrong attempts', async () => {
    const { confirmations, fresh } = await setup({ generateCode: () => '111111' });
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    const beforeAttempts = await fresh();
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await confirmations.confirm(await fresh(), '222222');
    }
    await confirmations.confirm(await fresh(), '222222');

    const result = await confirmations.confirm(beforeAttempts, '111111');

    expect(result).toEqual({ status: 'none-pending' });
  });

  it('invalidates the earlier code on a new request', async () => {
    const codes = ['111111', '333333'];
    const { confirmations, clock, fresh } = await setup({ generateCode: () => codes.shift()! });
    await confirmations.requestCode(await fresh(), ADDRESS, nextRequest());
    clock.advance(MINUTE_MS);
    await confirmations.requestCode(await fresh(), 'ana@example.org', nextRequest());

    const oldCode = await confirmations.confirm(await fresh(), '111111');
    const newCode = await confirmations.confirm(await fresh(), '333333');

    expect(oldCode.status).toBe('wrong-code');
    expect(newCode).toMatchObject({ status: 'confirmed', address: 'ana@example.org' });
  });

  it('reports no pending confirmation', async () => {
    const { confirmations, fresh } = await setup();

    await expect(confirmations.confirm(await fresh(), '123456')).resolves.toEqual({ status: 'none-pending' });
  });
});
