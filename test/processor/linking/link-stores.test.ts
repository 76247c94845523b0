import type { Transaction } from '../../../lib/domain/transaction';
import type { User } from '../../../lib/domain/user';
import { hashLinkCode } from '../../../lib/processor/linking/link-codes';
import type { LinkCodeItem } from '../../../lib/store/link-code-store';
import { DynamoTransactionStore } from '../../../lib/store/transaction-store';
import { UserStore } from '../../../lib/store/user-store';
import { createLocalTables, type LocalTables } from '../../store/local-tables';

const NOW_MS = 1_717_400_000_000;
const LIFETIME_MS = 10 * 60_000;

let local: LocalTables;
let nowMs = NOW_MS;
let users: UserStore;
let transactions: DynamoTransactionStore;
let counter = 0;

beforeAll(async () => {
  local = await createLocalTables('link-stores');
  users = new UserStore({
    client: local.client,
    usersTable: local.tables.users,
    identitiesTable: local.tables.identities,
    defaultCurrency: 'USD',
    defaultTimeZone: 'UTC',
    now: () => nowMs,
  });
  transactions = new DynamoTransactionStore({
    client: local.client,
    tableName: local.tables.transactions,
    now: () => nowMs,
  });
});

afterAll(() => {
  local?.destroy();
});

async function newUser(channel: 'telegram' | 'whatsapp'): Promise<User> {
  counter += 1;
  const { user } = await users.findOrCreate({ identity: `${channel}:${7_000_000 + counter}` });

  return user;
}

/** Issues a code for `issuer` and returns its item as the redeem step reads it. */
async function issuedCode(issuer: User, code: string): Promise<LinkCodeItem> {
  const codeHash = hashLinkCode(code);
  const stored = await users.linkCodes.issue({
    userId: issuer.userId,
    issuedBy: 'telegram',
    code: {
      codeHash,
      requestId: `telegram:${code}`,
      issuedAtEpochMs: nowMs,
      expiresAtEpochMs: nowMs + LIFETIME_MS,
    },
    requests: { windowStartEpochMs: nowMs, count: 1, lastRequestedAtEpochMs: nowMs },
  });
  expect(stored).toBe(true);

  return (await users.linkCodes.find(codeHash))!;
}

function transaction(userId: string, index: number): Transaction {
  counter += 1;

  return {
    userId,
    transactionId: `move-test-${counter}-${index}`,
    kind: 'expense',
    amountMinor: 100 * index,
    currency: 'USD',
    date: '2024-06-03',
    description: `item ${index}`,
    status: 'saved',
    confidence: 0.9,
    source: {
      channel: 'whatsapp',
      chatId: '200000000000002:5511900000001',
      messageId: `wamid.move-${counter}`,
    },
    createdAtEpochMs: nowMs,
    updatedAtEpochMs: nowMs,
  };
}

describe('LinkCodeStore', () => {
  it('refuses a code whose hash is already stored', async () => {
    const first = await newUser('telegram');
    const second = await newUser('telegram');
    await issuedCode(first, 'AAAA2222');

    const stored = await users.linkCodes.issue({
      userId: second.userId,
      issuedBy: 'telegram',
      code: {
        codeHash: hashLinkCode('AAAA2222'),
        requestId: 'telegram:collision',
        issuedAtEpochMs: nowMs,
        expiresAtEpochMs: nowMs + LIFETIME_MS,
      },
      requests: { windowStartEpochMs: nowMs, count: 1, lastRequestedAtEpochMs: nowMs },
    });

    expect(stored).toBe(false);
    expect((await users.linkCodes.find(hashLinkCode('AAAA2222')))?.userId).toBe(first.userId);
    expect((await users.get(second.userId))?.linkCode).toBeUndefined();
  });
});

describe('IdentityLinkStore', () => {
  it('reserves a code for one redeemer only', async () => {
    const issuer = await newUser('telegram');
    const first = await newUser('whatsapp');
    const second = await newUser('whatsapp');
    const code = await issuedCode(issuer, 'BBBB3333');

    const reservedFirst = await users.identityLinks.reserve(code, first);
    const reservedSecond = await users.identityLinks.reserve(code, second);

    expect(reservedFirst).toBe(true);
    expect(reservedSecond).toBe(false);
    expect((await users.get(first.userId))?.pendingLink).toMatchObject({
      intoUserId: issuer.userId,
      codeHash: code.codeHash,
    });
    expect((await users.get(second.userId))?.pendingLink).toBeUndefined();
  });

  it('keeps a reserved code valid for its redeemer after expiry', async () => {
    const issuer = await newUser('telegram');
    const redeemer = await newUser('whatsapp');
    const late = await newUser('whatsapp');
    const code = await issuedCode(issuer, 'CCCC4444');
    await users.identityLinks.reserve(code, redeemer);
    nowMs += 2 * LIFETIME_MS;

    const again = await users.identityLinks.reserve(code, (await users.get(redeemer.userId))!);
    const unreserved = await issuedCode(await newUser('telegram'), 'DDDD5555');
    nowMs += 2 * LIFETIME_MS;
    const expired = await users.identityLinks.reserve(unreserved, late);

    expect(again).toBe(true);
    expect(expired).toBe(false);
  });

  it('commits nothing when the issuer gained an identity since it was read', async () => {
    const issuer = await newUser('telegram');
    const redeemer = await newUser('whatsapp');
    const code = await issuedCode(issuer, 'EEEE6666');
    await users.identityLinks.reserve(code, redeemer);
    const stale = { ...issuer, identities: [] };

    const committed = await users.identityLinks.commit({
      code,
      issuer: stale,
      redeemer: (await users.get(redeemer.userId))!,
      eventKey: 'whatsapp:stale',
    });

    expect(committed).toBe(false);
    expect((await users.findByIdentity(redeemer.identities[0]!))?.userId).toBe(redeemer.userId);
    expect((await users.get(issuer.userId))?.identities).toEqual(issuer.identities);
    expect(await users.linkCodes.find(code.codeHash)).toBeDefined();
  });

  it('abandons a link by deleting its reserved code', async () => {
    const issuer = await newUser('telegram');
    const redeemer = await newUser('whatsapp');
    const code = await issuedCode(issuer, 'FFFF7777');
    await users.identityLinks.reserve(code, redeemer);

    await users.identityLinks.abandon(redeemer.userId, code.codeHash);

    expect(await users.linkCodes.find(code.codeHash)).toBeUndefined();
    expect((await users.get(redeemer.userId))?.pendingLink).toBeUndefined();
  });
});

describe('DynamoTransactionStore.move', () => {
  it('moves every transaction with its indexes', async () => {
    const from = await newUser('whatsapp');
    const to = await newUser('telegram');
    const stored = [transaction(from.userId, 1), transaction(from.userId, 2), transaction(from.userId, 3)];
    for (const item of stored) {
      await transactions.create(item);
    }

    const moved = await transactions.move({
      fromUserId: from.userId,
      toUserId: to.userId,
      direction: 'forward',
    });
    const movedAgain = await transactions.move({
      fromUserId: from.userId,
      toUserId: to.userId,
      direction: 'forward',
    });
    const listed = await transactions.listByDate(to.userId, '2024-06-01', '2024-06-30');
    const bySource = await transactions.findBySource(stored[1]!.source);

    expect(moved).toBe(3);
    expect(movedAgain).toBe(0);
    expect(await transactions.listByDate(from.userId, '2024-06-01', '2024-06-30')).toEqual([]);
    expect(listed.map((item) => item.transactionId).sort()).toEqual(
      stored.map((item) => item.transactionId).sort(),
    );
    expect(listed[0]).not.toHaveProperty('movedFromUserId');
    expect(bySource).toEqual({ ...stored[1], userId: to.userId });
  });

  it('moves back only the transactions that came from the user', async () => {
    const from = await newUser('whatsapp');
    const to = await newUser('telegram');
    const own = transaction(to.userId, 1);
    const visiting = transaction(from.userId, 2);
    await transactions.create(own);
    await transactions.create(visiting);
    await transactions.move({ fromUserId: from.userId, toUserId: to.userId, direction: 'forward' });

    const movedBack = await transactions.move({
      fromUserId: to.userId,
      toUserId: from.userId,
      direction: 'back',
    });

    expect(movedBack).toBe(1);
    expect(await transactions.get(to.userId, own.transactionId)).toEqual(own);
    expect(await transactions.get(from.userId, visiting.transactionId)).toEqual(visiting);
    expect(await transactions.get(to.userId, visiting.transactionId)).toBeUndefined();
  });
});
