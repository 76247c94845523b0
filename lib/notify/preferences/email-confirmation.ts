import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { countRequest, windowWaitMs } from '../../domain/request-window';
import {
  type EmailCodeRequests,
  type NotificationPreferences,
  notificationPreferencesOf,
  type PendingEmailConfirmation,
  type User,
} from '../../domain/user';
import type { UserStore } from '../../store/user-store';
import { isEmailAddress } from '../addresses';
import { NOTIFICATION_FORMAT_VERSION } from '../notification';
import type { NotificationQueue } from './notification-queue';

/** Limits of e-mail confirmation codes. */
export interface EmailConfirmationLimits {
  /** How long a code works after it was sent. */
  codeLifetimeMs: number;
  /** Wrong codes after which the pending confirmation is dropped and a new code is needed. */
  maxFailedAttempts: number;
  /** Shortest time between two codes of one user. */
  resendIntervalMs: number;
  /** Codes one user may get within `requestWindowMs`, so the bot cannot be used to flood an inbox. */
  maxCodesPerWindow: number;
  requestWindowMs: number;
}

/** Default limits: a 15-minute code, 5 wrong attempts, 1 code a minute and 5 a day. */
export const EMAIL_CONFIRMATION_LIMITS: Readonly<EmailConfirmationLimits> = Object.freeze({
  codeLifetimeMs: 15 * 60_000,
  maxFailedAttempts: 5,
  resendIntervalMs: 60_000,
  maxCodesPerWindow: 5,
  requestWindowMs: 24 * 3_600_000,
});

/** A six-digit confirmation code as the user types it. */
export const CONFIRMATION_CODE = /^\d{6}$/;

/** Outcome of {@link EmailConfirmations.requestCode}. */
export type CodeRequestResult =
  | { status: 'sent'; user: User; address: string; expiresInMinutes: number }
  /** No notification queue is configured, so no e-mail can be sent. */
  | { status: 'unavailable' }
  | { status: 'invalid-address' }
  | { status: 'already-confirmed'; address: string }
  | { status: 'too-soon'; retryAfterSeconds: number }
  | { status: 'limit-reached'; maxCodes: number };

/** Outcome of {@link EmailConfirmations.confirm}. */
export type CodeConfirmationResult =
  | { status: 'confirmed'; user: User; address: string }
  | { status: 'wrong-code'; attemptsLeft: number }
  | { status: 'too-many-attempts' }
  | { status: 'expired' }
  /** No confirmation is pending, or it was used or replaced in the meantime. */
  | { status: 'none-pending' };

/** The user-store writes that confirmations need. */
export type ConfirmationStore = Pick<
  UserStore,
  | 'startEmailConfirmation'
  | 'markEmailConfirmationEnqueued'
  | 'recordFailedEmailConfirmation'
  | 'completeEmailConfirmation'
  | 'clearEmailConfirmation'
>;

/** Options of {@link EmailConfirmations}. */
export interface EmailConfirmationsOptions {
  users: ConfirmationStore;
  /** Queue of the code e-mails. Without it, {@link EmailConfirmations.requestCode} returns `unavailable`. */
  queue?: NotificationQueue;
  /** Clock in epoch milliseconds. */
  now: () => number;
  /** @default EMAIL_CONFIRMATION_LIMITS */
  limits?: Partial<EmailConfirmationLimits>;
  /**
   * Source of codes.
   * @default six random digits from `crypto.randomInt`
   */
  generateCode?: () => string;
}

/** Identifies the chat event behind a code request, for retries and log correlation. */
export interface CodeRequestContext {
  /** Key of the chat event, such as `telegram:500000101`. A retry of the same event sends no second code. */
  requestId: string;
  correlationId: string;
}

// scrypt's default cost (N = 2^14, r = 8): about 16 MiB and tens of milliseconds per hash, so that even the
// small space of six-digit codes takes hours to search from a copy of the table.
const SCRYPT_OPTIONS = { N: 16_384, r: 8, p: 1 } as const;
const HASH_BYTES = 32;
const MAX_DISPLAY_NAME_LENGTH = 100;

function hashCode(code: string, saltHex: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, Buffer.from(saltHex, 'hex'), HASH_BYTES, SCRYPT_OPTIONS, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

function randomCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function sameAddress(left: string | undefined, right: string): boolean {
  return left !== undefined && left.toLowerCase() === right.toLowerCase();
}

/**
 * E-mail address confirmation: a six-digit code goes by e-mail through the notification queue, and the user
 * sends it back in the chat. Codes are stored only as salted scrypt hashes, expire, work once, and stop
 * working after too many wrong attempts.
 */
export class EmailConfirmations {
  readonly #users: ConfirmationStore;
  readonly #queue: NotificationQueue | undefined;
  readonly #now: () => number;
  readonly #limits: EmailConfirmationLimits;
  readonly #generateCode: () => string;

  constructor(options: EmailConfirmationsOptions) {
    this.#users = options.users;
    this.#queue = options.queue;
    this.#now = options.now;
    this.#limits = { ...EMAIL_CONFIRMATION_LIMITS, ...options.limits };
    this.#generateCode = options.generateCode ?? randomCode;
  }

  /**
   * Sends a new code to `rawAddress` and stores its hash as the user's pending confirmation, replacing an
   * earlier one. A retry of the same chat event returns `sent` again without a second e-mail once the first
   * one is queued.
   * @throws {NotificationEnqueueError} when the code e-mail cannot be queued; the retry sends a new code.
   */
  async requestCode(user: User, rawAddress: string, context: CodeRequestContext): Promise<CodeRequestResult> {
    if (this.#queue === undefined) {
      return { status: 'unavailable' };
    }
    const address = rawAddress.trim();
    if (!isEmailAddress(address)) {
      return { status: 'invalid-address' };
    }

    const expiresInMinutes = Math.round(this.#limits.codeLifetimeMs / 60_000);
    const pending = user.emailConfirmation;
    const retry = pending?.requestId === context.requestId;
    if (retry && pending?.enqueued === true) {
      return { status: 'sent', user, address: pending.address, expiresInMinutes };
    }
    if (sameAddress(notificationPreferencesOf(user).email?.address, address)) {
      return { status: 'already-confirmed', address };
    }

    const nowMs = this.#now();
    let requests: EmailCodeRequests;
    if (retry && user.emailCodeRequests !== undefined) {
      // The failed attempt already counted this request.
      requests = user.emailCodeRequests;
    } else {
      const next = this.#nextRequests(user.emailCodeRequests, nowMs);
      if ('status' in next) {
        return next;
      }
      requests = next;
    }

    const code = this.#generateCode();
    const codeSalt = randomBytes(16).toString('hex');
    const confirmation: PendingEmailConfirmation = {
      address,
      codeHash: (await hashCode(code, codeSalt)).toString('hex'),
      codeSalt,
      requestId: context.requestId,
      enqueued: false,
      failedAttempts: 0,
      requestedAtEpochMs: nowMs,
      expiresAtEpochMs: nowMs + this.#limits.codeLifetimeMs,
    };
    const stored = await this.#users.startEmailConfirmation(user.userId, confirmation, requests);
    await this.#queue.enqueue({
      version: NOTIFICATION_FORMAT_VERSION,
      kind: 'email',
      // Unique per code: a retry that makes a new code must send it, not be dropped as a duplicate.
      idempotencyKey: `email-confirmation:${user.userId}:${nowMs}`,
      correlationId: context.correlationId,
      recipient: { userId: user.userId, emailAddress: address },
      template: 'email-confirmation',
      data: {
        displayName: user.displayName?.slice(0, MAX_DISPLAY_NAME_LENGTH) || undefined,
        code,
        expiresInMinutes,
      },
    });
    await this.#users.markEmailConfirmationEnqueued(user.userId, context.requestId);

    return { status: 'sent', user: stored, address, expiresInMinutes };
  }

  /**
   * Checks `code` against the user's pending confirmation. The right code stores the address as confirmed,
   * turns the e-mail channel on and removes the confirmation in one conditional write, so it works once.
   */
  async confirm(user: User, code: string): Promise<CodeConfirmationResult> {
    const pending = user.emailConfirmation;
    if (pending === undefined) {
      return { status: 'none-pending' };
    }

    const nowMs = this.#now();
    if (nowMs >= pending.expiresAtEpochMs) {
      await this.#users.clearEmailConfirmation(user.userId);
      return { status: 'expired' };
    }
    if (pending.failedAttempts >= this.#limits.maxFailedAttempts) {
      await this.#users.clearEmailConfirmation(user.userId);
      return { status: 'too-many-attempts' };
    }

    if (await this.#matches(code, pending)) {
      const preferences = confirmedPreferences(user, pending.address, nowMs);
      const confirmed = await this.#users.completeEmailConfirmation(
        user.userId,
        pending.requestId,
        preferences,
        {
          nowMs,
          maxFailedAttempts: this.#limits.maxFailedAttempts,
        },
      );
      return confirmed === undefined
        ? { status: 'none-pending' }
        : { status: 'confirmed', user: confirmed, address: pending.address };
    }

    const updated = await this.#users.recordFailedEmailConfirmation(
      user.userId,
      pending.requestId,
      this.#limits.maxFailedAttempts,
    );
    if (updated?.emailConfirmation === undefined) {
      return { status: 'none-pending' };
    }
    const attemptsLeft = this.#limits.maxFailedAttempts - updated.emailConfirmation.failedAttempts;
    if (attemptsLeft <= 0) {
      await this.#users.clearEmailConfirmation(user.userId);
      return { status: 'too-many-attempts' };
    }

    return { status: 'wrong-code', attemptsLeft };
  }

  async #matches(code: string, pending: PendingEmailConfirmation): Promise<boolean> {
    if (!CONFIRMATION_CODE.test(code)) {
      return false;
    }
    const expected = Buffer.from(pending.codeHash, 'hex');
    const actual = await hashCode(code, pending.codeSalt);

    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /** Returns the code count after one more code, or why no code may be sent now. */
  #nextRequests(
    previous: EmailCodeRequests | undefined,
    nowMs: number,
  ): EmailCodeRequests | Extract<CodeRequestResult, { status: 'too-soon' | 'limit-reached' }> {
    if (previous !== undefined && nowMs - previous.lastRequestedAtEpochMs < this.#limits.resendIntervalMs) {
      const waitMs = this.#limits.resendIntervalMs - (nowMs - previous.lastRequestedAtEpochMs);
      return { status: 'too-soon', retryAfterSeconds: Math.ceil(waitMs / 1_000) };
    }
    const limit = { maxPerWindow: this.#limits.maxCodesPerWindow, windowMs: this.#limits.requestWindowMs };
    if (windowWaitMs(previous, nowMs, limit) > 0) {
      return { status: 'limit-reached', maxCodes: this.#limits.maxCodesPerWindow };
    }

    return countRequest(previous, nowMs, limit);
  }
}

/** Returns the preferences after confirming `address`: it becomes the e-mail address and e-mail is chosen. */
function confirmedPreferences(user: User, address: string, nowMs: number): NotificationPreferences {
  const preferences = notificationPreferencesOf(user);
  const channels = preferences.channels.includes('email')
    ? preferences.channels
    : [...preferences.channels, 'email' as const];

  return { ...preferences, channels, email: { address, confirmedAtEpochMs: nowMs } };
}
