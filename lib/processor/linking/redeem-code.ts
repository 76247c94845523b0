import { countRequest, windowWaitMs } from '../../domain/request-window';
import { type Channel, channelsOf, type User } from '../../domain/user';
import type { UserStore } from '../../store/user-store';
import { hashLinkCode, LINK_CODE_LIMITS, type LinkCodeLimits } from './link-codes';
import { type MergeStores, mergeIntoIssuer, rollBackLink } from './merge';

/** Outcome of {@link redeemLinkCode}. */
export type RedeemResult =
  /** `user` is the issuer after the link; `movedTransactions` is unknown when a retry found the link done. */
  | { status: 'linked'; user: User; movedTransactions?: number }
  | { status: 'not-found' }
  | { status: 'expired' }
  /** The code belongs to the user who sent it. */
  | { status: 'same-user' }
  /** The issuer already has an identity on `channel`, one of the redeemer's channels. */
  | { status: 'channel-taken'; channel: Channel }
  | { status: 'too-many-attempts'; retryAfterMinutes: number }
  /** The code was used, replaced or expired while this link was being made; nothing changed. */
  | { status: 'code-taken' };

/** Options of {@link redeemLinkCode}. */
export interface RedeemOptions extends MergeStores {
  users: Pick<UserStore, 'get' | 'linkCodes' | 'identityLinks'>;
  now: () => number;
  /** @default LINK_CODE_LIMITS */
  limits?: Partial<LinkCodeLimits>;
}

/**
 * Redeems a normalized link code sent by `user`: merges `user` into the user who issued it, unless the
 * code is unknown, expired, the user's own, or its issuer already has an identity on one of the user's
 * channels. Unknown and expired codes count as failed attempts, and after `maxFailedAttempts` within
 * `failureWindowMs` no code is looked up until the window ends.
 *
 * `eventKey` is the chat event's key: a retry of an event whose link was committed finds it on the
 * (now merged) user and reports `linked` again.
 */
export async function redeemLinkCode(
  user: User,
  code: string,
  eventKey: string,
  options: RedeemOptions,
): Promise<RedeemResult> {
  if (user.lastLinkEventKey === eventKey) {
    return { status: 'linked', user };
  }

  const limits = { ...LINK_CODE_LIMITS, ...options.limits };
  const codeHash = hashLinkCode(code);
  let redeemer = user;
  if (redeemer.pendingLink !== undefined && redeemer.pendingLink.codeHash !== codeHash) {
    // An earlier link of this user never finished, and this code replaces it.
    await rollBackLink(redeemer.userId, redeemer.pendingLink, options);
    redeemer = (await options.users.get(redeemer.userId)) ?? redeemer;
  }
  const pending = redeemer.pendingLink;
  const failureLimit = { maxPerWindow: limits.maxFailedAttempts, windowMs: limits.failureWindowMs };
  const nowMs = options.now();
  const waitMs = windowWaitMs(redeemer.linkCodeFailures, nowMs, failureLimit);
  if (pending === undefined && waitMs > 0) {
    return { status: 'too-many-attempts', retryAfterMinutes: Math.ceil(waitMs / 60_000) };
  }

  /** Ends a redemption that cannot go on, undoing the retried link if there is one. */
  const stop = async (result: RedeemResult, failedAttempt: boolean): Promise<RedeemResult> => {
    if (pending !== undefined) {
      await rollBackLink(redeemer.userId, pending, options);
      const codeGone = result.status === 'not-found' || result.status === 'expired';

      return codeGone ? { status: 'code-taken' } : result;
    }
    if (failedAttempt) {
      const failures = countRequest(redeemer.linkCodeFailures, nowMs, failureLimit);
      await options.users.linkCodes.recordFailures(redeemer.userId, failures);
    }
    return result;
  };

  const item = await options.users.linkCodes.find(codeHash);
  const reservedForRedeemer = item?.redeemingUserId === redeemer.userId;
  if (item === undefined || (item.redeemingUserId !== undefined && !reservedForRedeemer)) {
    return stop({ status: 'not-found' }, true);
  }
  if (!reservedForRedeemer && item.expiresAtEpochMs <= nowMs) {
    await options.users.linkCodes.deleteExpired(item);
    return stop({ status: 'expired' }, true);
  }
  if (item.userId === redeemer.userId) {
    return stop({ status: 'same-user' }, false);
  }

  const issuer = await options.users.get(item.userId);
  if (issuer === undefined || issuer.mergedInto !== undefined) {
    // The issuer was merged into someone else after issuing: the code no longer leads anywhere.
    return stop({ status: 'not-found' }, false);
  }
  const issuerChannels = channelsOf(issuer);
  const sharedChannel = channelsOf(redeemer).find((channel) => issuerChannels.includes(channel));
  if (sharedChannel !== undefined) {
    return stop({ status: 'channel-taken', channel: sharedChannel }, false);
  }

  const merged = await mergeIntoIssuer(item, issuer, redeemer, eventKey, options);
  if (merged.status === 'code-taken') {
    return merged;
  }
  const linked = await options.users.get(issuer.userId);

  return { status: 'linked', user: linked ?? issuer, movedTransactions: merged.movedTransactions };
}
