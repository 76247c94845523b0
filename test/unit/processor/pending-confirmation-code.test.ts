import type { User } from '../../../lib/domain/user';
import { pendingConfirmationCode } from '../../../lib/processor/settings/notification-settings';

const NOW_MS = Date.parse('2026-03-18T09:00:00Z');
const MINUTE_MS = 60_000;

const PENDING: Pick<User, 'emailConfirmation'> = {
  emailConfirmation: {
    address: 'ana@example.com',
    codeHash: '00',
    codeSalt: '00',
    requestId: 'telegram:1',
    enqueued: true,
    failedAttempts: 0,
    requestedAtEpochMs: NOW_MS,
    expiresAtEpochMs: NOW_MS + 15 * MINUTE_MS,
  },
};

function userWith(fields: Partial<User>): User {
  return {
    userId: 'user-1',
    identities: ['telegram:1'],
    homeCurrency: 'EUR',
    timeZone: 'UTC',
    status: 'active',
    settingsConfirmed: true,
    createdAtEpochMs: NOW_MS,
    updatedAtEpochMs: NOW_MS,
    ...fields,
  };
}

function confirmedAt(confirmedAtEpochMs: number): User {
  return userWith({
    notifications: {
      weeklySummary: false,
      channels: ['email'],
      email: { address: 'ana@example.com', confirmedAtEpochMs },
    },
  });
}

describe('pendingConfirmationCode', () => {
  it('takes a code while one is awaited', () => {
    expect(pendingConfirmationCode(userWith(PENDING), ' 042913 ', NOW_MS)).toBe('042913');
  });

  it('ignores digits without a confirmation', () => {
    expect(pendingConfirmationCode(userWith({}), '042913', NOW_MS)).toBeUndefined();
  });

  it.each(['42913', '0429130', '042 913', '042913 EUR', 'coffee 3.20'])('ignores %s', (text) => {
    expect(pendingConfirmationCode(userWith(PENDING), text, NOW_MS)).toBeUndefined();
  });

  it('takes a code just after confirming', () => {
    expect(pendingConfirmationCode(confirmedAt(NOW_MS - 14 * MINUTE_MS), '042913', NOW_MS)).toBe('042913');
  });

  it('ignores digits long after confirming', () => {
    expect(pendingConfirmationCode(confirmedAt(NOW_MS - 15 * MINUTE_MS), '042913', NOW_MS)).toBeUndefined();
  });
});
