import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { UserStore, type UserStoreOptions } from '../../lib/store/user-store';
import { createLocalTables, type LocalTables } from './local-tables';

const NOW_MS = 1_717_400_000_000;

let local: LocalTables;
let identityCounter = 0;

function freshIdentity(): string {
  identityCounter += 1;
  return `telegram:${11110000 + identityCounter}`;
}

function userStore(overrides: Partial<UserStoreOptions> = {}): UserStore {
  return new UserStore({
    client: local.client,
    usersTable: local.tables.users,
    identitiesTable: local.tables.identities,
    defaultCurrency: 'EUR',
    defaultTimeZone: 'Europe/Lisbon',
    now: () => NOW_MS,
    ...overrides,
  });
}

beforeAll(async () => {
  local = await createLocalTables('users');
});

afterAll(() => {
  local?.destroy();
});

describe('UserStore', () => {
  describe('findOrCreate', () => {
    it('creates user on first contact', async () => {
      const identity = freshIdentity();

      const { user, created } = await userStore().findOrCreate({
        identity,
        languageCode: 'pt',
        displayName: 'Ana',
      });

      expect(created).toBe(true);
      expect(user).toEqual({
        userId: expect.any(String),
        identities: [identity],
        languageCode: 'pt',
        displayName: 'Ana',
        homeCurrency: 'EUR',
        timeZone: 'Europe/Lisbon',
        status: 'active',
        settingsConfirmed: false,
        createdAtEpochMs: NOW_MS,
        updatedAtEpochMs: NOW_MS,
      });
    });

    it('stores the new user', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });

      expect(await store.get(user.userId)).toEqual(user);
    });

    it('returns existing user later', async () => {
      const store = userStore();
      const identity = freshIdentity();
      const first = await store.findOrCreate({ identity });

      const second = await store.findOrCreate({ identity, displayName: 'Renamed' });

      expect(second.created).toBe(false);
      expect(second.user).toEqual(first.user);
    });

    it('omits unknown profile fields', async () => {
      const identity = freshIdentity();
      const { user } = await userStore().findOrCreate({ identity });

      const stored = await local.client.send(
        new GetCommand({ TableName: local.tables.users, Key: { userId: user.userId }, ConsistentRead: true }),
      );

      expect(Object.keys(stored.Item ?? {})).not.toContain('languageCode');
    });

    it('maps identity to user id', async () => {
      const identity = freshIdentity();
      const { user } = await userStore().findOrCreate({ identity });

      const mapping = await local.client.send(
        new GetCommand({ TableName: local.tables.identities, Key: { identity }, ConsistentRead: true }),
      );

      expect(mapping.Item?.userId).toBe(user.userId);
    });

    it('keeps identities apart', async () => {
      const store = userStore();

      const first = await store.findOrCreate({ identity: freshIdentity() });
      const second = await store.findOrCreate({ identity: freshIdentity() });

      expect(first.user.userId).not.toBe(second.user.userId);
    });
  });

  describe('concurrent first contact', () => {
    it('returns one user id', async () => {
      const store = userStore();
      const identity = freshIdentity();

      const results = await Promise.all(Array.from({ length: 10 }, () => store.findOrCreate({ identity })));

      expect(new Set(results.map((result) => result.user.userId)).size).toBe(1);
    });

    it('creates exactly once', async () => {
      const store = userStore();
      const identity = freshIdentity();

      const results = await Promise.all(Array.from({ length: 10 }, () => store.findOrCreate({ identity })));

      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it('returns the stored user', async () => {
      const store = userStore();
      const identity = freshIdentity();

      const results = await Promise.all(Array.from({ length: 10 }, () => store.findOrCreate({ identity })));

      expect(await store.findByIdentity(identity)).toEqual(results[0]?.user);
    });
  });

  describe('findByIdentity', () => {
    it('returns undefined for unknown identity', async () => {
      expect(await userStore().findByIdentity(freshIdentity())).toBeUndefined();
    });
  });

  describe('get', () => {
    it('returns undefined for unknown id', async () => {
      expect(await userStore().get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });
  });

  describe('updateSettings', () => {
    it('changes currency and time zone', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });

      const updated = await store.updateSettings(user.userId, {
        homeCurrency: 'NZD',
        timeZone: 'Pacific/Auckland',
      });

      expect(updated.homeCurrency).toBe('NZD');
      expect(updated.timeZone).toBe('Pacific/Auckland');
    });

    it('marks settings confirmed', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });

      const updated = await store.updateSettings(user.userId, { homeCurrency: 'NZD' });

      expect(updated.settingsConfirmed).toBe(true);
    });

    it('keeps unchanged setting', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });

      const updated = await store.updateSettings(user.userId, { homeCurrency: 'NZD', timeZone: undefined });

      expect(updated.timeZone).toBe('Europe/Lisbon');
    });

    it('stamps update time', async () => {
      const { user } = await userStore().findOrCreate({ identity: freshIdentity() });

      const updated = await userStore({ now: () => NOW_MS + 5_000 }).updateSettings(user.userId, {
        homeCurrency: 'JPY',
      });

      expect(updated.updatedAtEpochMs).toBe(NOW_MS + 5_000);
    });

    it('fails for unknown user', async () => {
      await expect(
        userStore().updateSettings('00000000-0000-4000-8000-000000000000', { homeCurrency: 'EUR' }),
      ).rejects.toMatchObject({ name: 'StoreError' });
    });
  });

  describe('setStatus', () => {
    it('marks user inactive', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });

      await store.setStatus(user.userId, 'inactive');

      expect((await store.get(user.userId))?.status).toBe('inactive');
    });

    it('marks user active again', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });
      await store.setStatus(user.userId, 'inactive');

      await store.setStatus(user.userId, 'active');

      expect((await store.get(user.userId))?.status).toBe('active');
    });
  });

  describe('setPendingAction', () => {
    const action = {
      type: 'edit-transaction',
      transactionId: 'tAbc',
      expiresAtEpochMs: NOW_MS + 600_000,
    } as const;

    it('stores pending action', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });

      await store.setPendingAction(user.userId, action);

      expect((await store.get(user.userId))?.pendingAction).toEqual(action);
    });

    it('clears pending action', async () => {
      const store = userStore();
      const { user } = await store.findOrCreate({ identity: freshIdentity() });
      await store.setPendingAction(user.userId, action);

      await store.setPendingAction(user.userId, undefined);

      expect((await store.get(user.userId))?.pendingAction).toBeUndefined();
    });
  });
});
