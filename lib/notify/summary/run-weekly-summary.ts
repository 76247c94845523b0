import type { Logger } from '@aws-lambda-powertools/logger';
import {
  notificationDestinationOf,
  notificationPreferencesOf,
  type User,
  type UserNotificationChannel,
} from '../../domain/user';
import type { IdempotencyStore } from '../../store/idempotency-store';
import type { TransactionStore } from '../../store/transaction-store';
import type { UserStore } from '../../store/user-store';
import { describeError } from '../errors';
import { notificationFor } from '../preferences/destinations';
import type { NotificationQueue } from '../preferences/notification-queue';
import type { WeeklySummaryData } from '../templates/weekly-summary';
import { WeeklySummaryIncompleteError } from './errors';
import { acceptedInsights, type SummaryInsights } from './insights';
import { previousWeekOf, type SummaryWeek } from './week';
import { weeklySummaryFacts } from './weekly-summary-data';

/** Dependencies of {@link runWeeklySummary}, built by `createWeeklySummaryDependencies`. */
export interface WeeklySummaryDependencies {
  users: Pick<UserStore, 'listWeeklySummarySubscribers'>;
  transactions: Pick<TransactionStore, 'listByDate'>;
  /** Claims per user, channel and week, so a re-run queues nothing twice. */
  claims: Pick<IdempotencyStore, 'claim' | 'complete' | 'release'>;
  queue: NotificationQueue;
  insights: SummaryInsights;
  logger: Logger;
  /** Milliseconds the run may still take in this invocation. */
  budgetMs(): number;
  /** Link to the notification settings, shown in the e-mail. */
  settingsUrl?: string;
  /**
   * Users table items read per Scan page.
   * @default 500
   */
  pageSize?: number;
}

/** One run of the weekly summary. */
export interface WeeklySummaryRun {
  /** The instant the summarized weeks are computed from: the scheduled time, so a retry computes the same weeks. */
  referenceTime: Date;
  /** Carried by every notification of the run. */
  correlationId: string;
}

/** Counts of one run. */
export interface WeeklySummaryResult {
  /** `incomplete` when the time ran out, a user failed, or another run held a claim. */
  status: 'complete' | 'incomplete';
  /** Opted-in active users read from the users table. */
  usersRead: number;
  notificationsQueued: number;
  /** Notifications that an earlier run already queued for the same user, channel and week. */
  alreadyQueued: number;
  /** Notifications that another run is queuing right now. */
  heldElsewhere: number;
  /** Chosen channels skipped because they have no destination, such as e-mail without a confirmed address. */
  channelsWithoutDestination: number;
  usersFailed: number;
}

/**
 * Seconds a claim protects a user's notification from a concurrent run: Lambda's maximum timeout of 15
 * minutes, so a claim outlives the run that took it.
 */
export const CLAIM_LEASE_SECONDS = 900;

/** Time a user may take: a Query, the insights and up to three claims and sends. */
const USER_RESERVE_MS = 10_000;

/** Returns the idempotency key of a user's weekly summary, the same on every channel. */
export function weeklySummaryKey(userId: string, week: SummaryWeek): string {
  return `weekly-summary:${userId}:${week.isoWeek}`;
}

function claimKeyOf(channel: UserNotificationChannel, userId: string, week: SummaryWeek): string {
  return `weekly-summary-queued:${channel}:${userId}:${week.isoWeek}`;
}

/**
 * Queues each opted-in user's summary of their last completed week, once per chosen channel that has a
 * destination. Weeks follow each user's time zone. A channel is claimed before its notification is queued
 * and completed after, so a re-run, a retry or an overlapping run queues nothing that was queued before.
 * @throws {WeeklySummaryIncompleteError} after the run when some users are left, so the invocation fails and
 * its retry finishes the rest.
 */
export async function runWeeklySummary(
  run: WeeklySummaryRun,
  dependencies: WeeklySummaryDependencies,
): Promise<WeeklySummaryResult> {
  const { logger } = dependencies;
  const result: WeeklySummaryResult = {
    status: 'complete',
    usersRead: 0,
    notificationsQueued: 0,
    alreadyQueued: 0,
    heldElsewhere: 0,
    channelsWithoutDestination: 0,
    usersFailed: 0,
  };
  let startKey: Record<string, unknown> | undefined;
  pages: do {
    if (dependencies.budgetMs() < USER_RESERVE_MS) {
      result.status = 'incomplete';
      break;
    }
    const page = await dependencies.users.listWeeklySummarySubscribers(startKey, dependencies.pageSize);
    for (const user of page.users) {
      if (dependencies.budgetMs() < USER_RESERVE_MS) {
        result.status = 'incomplete';
        break pages;
      }
      result.usersRead += 1;
      try {
        await summarizeUser(user, run, dependencies, result);
      } catch (error) {
        result.usersFailed += 1;
        result.status = 'incomplete';
        logger.error('Weekly summary of a user failed; a retry of the run queues it', {
          userId: user.userId,
          error: describeError(error),
        });
      }
    }
    startKey = page.nextKey;
  } while (startKey !== undefined);

  if (result.heldElsewhere > 0) {
    result.status = 'incomplete';
  }
  logger.info('Weekly summary run finished', { ...result });
  if (result.status === 'incomplete') {
    throw new WeeklySummaryIncompleteError(result);
  }

  return result;
}

async function summarizeUser(
  user: User,
  run: WeeklySummaryRun,
  dependencies: WeeklySummaryDependencies,
  result: WeeklySummaryResult,
): Promise<void> {
  const { logger, claims } = dependencies;
  const week = previousWeekOf(run.referenceTime, user.timeZone);
  const ready: UserNotificationChannel[] = [];
  for (const channel of notificationPreferencesOf(user).channels) {
    if (notificationDestinationOf(user, channel) === undefined) {
      result.channelsWithoutDestination += 1;
      logger.info('Weekly summary channel has no destination; skipped', { userId: user.userId, channel });
    } else {
      ready.push(channel);
    }
  }

  const claimed: UserNotificationChannel[] = [];
  for (const channel of ready) {
    const outcome = await claims.claim(claimKeyOf(channel, user.userId, week), CLAIM_LEASE_SECONDS);
    if (outcome === 'claimed') {
      claimed.push(channel);
    } else if (outcome === 'completed') {
      result.alreadyQueued += 1;
    } else {
      result.heldElsewhere += 1;
    }
  }
  if (claimed.length === 0) {
    return;
  }

  const pending = [...claimed];
  try {
    const data = await summaryData(user, week, dependencies);
    for (const channel of claimed) {
      const notification = notificationFor(user, channel, {
        template: 'weekly-summary',
        data: data as unknown as Record<string, unknown>,
        idempotencyKey: weeklySummaryKey(user.userId, week),
        correlationId: run.correlationId,
      });
      if (notification !== undefined) {
        await dependencies.queue.enqueue(notification);
        result.notificationsQueued += 1;
      }
      await claims.complete(claimKeyOf(channel, user.userId, week));
      pending.shift();
    }
    logger.info('Weekly summary queued', { userId: user.userId, isoWeek: week.isoWeek, channels: claimed });
  } catch (error) {
    await releaseClaims(pending, user.userId, week, dependencies);
    throw error;
  }
}

async function summaryData(
  user: User,
  week: SummaryWeek,
  dependencies: WeeklySummaryDependencies,
): Promise<WeeklySummaryData> {
  const transactions = await dependencies.transactions.listByDate(user.userId, week.firstDay, week.lastDay);
  const facts = weeklySummaryFacts(user, week, transactions);
  const insights = acceptedInsights(await dependencies.insights.generate(facts));

  return {
    ...facts,
    ...(insights.length === 0 ? {} : { insights }),
    ...(dependencies.settingsUrl === undefined ? {} : { settingsUrl: dependencies.settingsUrl }),
  };
}

async function releaseClaims(
  channels: readonly UserNotificationChannel[],
  userId: string,
  week: SummaryWeek,
  dependencies: WeeklySummaryDependencies,
): Promise<void> {
  for (const channel of channels) {
    try {
      await dependencies.claims.release(claimKeyOf(channel, userId, week));
    } catch (error) {
      // The lease runs out on its own; until then a retry counts the channel as held elsewhere.
      dependencies.logger.warn('Could not release a weekly summary claim; it expires with its lease', {
        userId,
        channel,
        error: describeError(error),
      });
    }
  }
}
