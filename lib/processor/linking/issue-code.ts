import { countRequest, windowWaitMs } from '../../domain/request-window';
import { CHANNELS, type Channel, channelsOf, type User } from '../../domain/user';
import type { UserStore } from '../../store/user-store';
import { LinkCodeIssueError, LinkUserMissingError } from './errors';
import { generateLinkCode, hashLinkCode, LINK_CODE_LIMITS, type LinkCodeLimits } from './link-codes';

/** Outcome of {@link issueLinkCode}. */
export type IssueResult =
  /** `code` is the plain code, for the reply only: it is never stored or logged. */
  | { status: 'issued'; code: string; expiresInMinutes: number; otherChannels: Channel[] }
  | { status: 'limit-reached'; maxCodes: number }
  /** The user already has an identity on every channel, so no other identity could join. */
  | { status: 'all-linked' };

/** Options of {@link issueLinkCode}. */
export interface IssueOptions {
  users: Pick<UserStore, 'get' | 'linkCodes'>;
  now: () => number;
  /** @default LINK_CODE_LIMITS */
  limits?: Partial<LinkCodeLimits>;
  /** @default {@link generateLinkCode} */
  generateCode?: () => string;
}

/** Writes tried before giving up, each with a fresh code and a fresh read of the user. */
const MAX_ISSUE_ATTEMPTS = 3;

/**
 * Issues a link code for `user` on `channel`, replacing the user's unused one. Only the code's hash is
 * stored. At most `maxCodesPerWindow` codes are issued per window, but a retry of the chat event
 * `requestId` replaces its own code without counting a second one.
 * @throws {LinkCodeIssueError} when every attempt collided with another code or a concurrent change.
 */
export async function issueLinkCode(
  user: User,
  channel: Channel,
  requestId: string,
  options: IssueOptions,
): Promise<IssueResult> {
  const limits = { ...LINK_CODE_LIMITS, ...options.limits };
  const generateCode = options.generateCode ?? generateLinkCode;
  const otherChannels = CHANNELS.filter((candidate) => !channelsOf(user).includes(candidate));
  if (otherChannels.length === 0) {
    return { status: 'all-linked' };
  }

  let current = user;
  for (let attempt = 1; attempt <= MAX_ISSUE_ATTEMPTS; attempt += 1) {
    const nowMs = options.now();
    const requestLimit = { maxPerWindow: limits.maxCodesPerWindow, windowMs: limits.requestWindowMs };
    const retry = current.linkCode?.requestId === requestId && current.linkCodeRequests !== undefined;
    if (!retry && windowWaitMs(current.linkCodeRequests, nowMs, requestLimit) > 0) {
      return { status: 'limit-reached', maxCodes: limits.maxCodesPerWindow };
    }

    const code = generateCode();
    const stored = await options.users.linkCodes.issue({
      userId: current.userId,
      issuedBy: channel,
      code: {
        codeHash: hashLinkCode(code),
        requestId,
        issuedAtEpochMs: nowMs,
        expiresAtEpochMs: nowMs + limits.codeLifetimeMs,
      },
      // The failed attempt of a retried event already counted this code.
      requests: retry
        ? current.linkCodeRequests!
        : countRequest(current.linkCodeRequests, nowMs, requestLimit),
      previousCodeHash: current.linkCode?.codeHash,
    });
    if (stored) {
      return {
        status: 'issued',
        code,
        expiresInMinutes: Math.round(limits.codeLifetimeMs / 60_000),
        otherChannels,
      };
    }

    const reloaded = await options.users.get(current.userId);
    if (reloaded === undefined) {
      throw new LinkUserMissingError(current.userId);
    }
    current = reloaded;
  }

  throw new LinkCodeIssueError(user.userId, MAX_ISSUE_ATTEMPTS);
}
