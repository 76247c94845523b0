import type { Update } from '@grammyjs/types';
import { FakeApiError } from './api-error';

/** Update types left out when allowed_updates is empty or was never set, per the getUpdates docs. */
const OPT_IN_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** Maximum and default `limit` of getUpdates, per the getUpdates docs. */
const MAX_LIMIT = 100;

/** getUpdates parameters after coercion. */
export interface PollRequest {
  offset: number | undefined;
  limit: number | undefined;
  /** Long-poll timeout in seconds. */
  timeout: number | undefined;
  allowedUpdates: string[] | undefined;
}

interface Waiter {
  wake: () => void;
  fail: (error: FakeApiError) => void;
}

/**
 * Pending updates with getUpdates semantics: an offset confirms (deletes) every earlier update,
 * a negative offset keeps only the last updates, and a new poll ends an older one with 409.
 */
export class UpdateQueue {
  private pending: Update[] = [];
  private nextUpdateId = 1;
  private allowedUpdates: string[] | undefined;
  private waiter: Waiter | undefined;

  get size(): number {
    return this.pending.length;
  }

  /** The update types stored by the last getUpdates or setWebhook that named them. */
  get allowed(): string[] | undefined {
    return this.allowedUpdates;
  }

  set allowed(types: string[] | undefined) {
    this.allowedUpdates = types;
  }

  /**
   * Queues an update, assigning `update_id` when missing. Types that allowed_updates excludes are
   * dropped, because Telegram filters when an update is created, not when it is fetched.
   */
  push(update: Update | Omit<Update, 'update_id'>): Update {
    const given = (update as Partial<Update>).update_id;
    const stored = { ...update, update_id: given ?? this.nextUpdateId } as Update;
    this.nextUpdateId = Math.max(this.nextUpdateId, stored.update_id + 1);

    if (this.accepts(stored)) {
      this.pending.push(stored);
      this.waiter?.wake();
    }

    return stored;
  }

  /**
   * Handles one getUpdates request, waiting up to `timeout` seconds for an update.
   * @throws FakeApiError 409 when a newer getUpdates request replaces this one.
   */
  async poll(request: PollRequest, signal: AbortSignal): Promise<Update[]> {
    if (request.allowedUpdates !== undefined) {
      this.allowedUpdates = request.allowedUpdates;
    }

    this.confirm(request.offset ?? 0);
    this.waiter?.fail(
      new FakeApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    this.waiter = undefined;

    const limit = Math.min(Math.max(request.limit ?? MAX_LIMIT, 1), MAX_LIMIT);
    const timeoutMs = Math.max(request.timeout ?? 0, 0) * 1000;
    if (this.pending.length === 0 && timeoutMs > 0) {
      await this.waitForUpdate(timeoutMs, signal);
    }

    return this.pending.slice(0, limit);
  }

  /** Deletes every pending update. */
  drop(): void {
    this.pending = [];
  }

  /** Ends a waiting poll, so that stop() does not wait for its timeout. */
  release(): void {
    this.waiter?.wake();
    this.waiter = undefined;
  }

  reset(): void {
    this.release();
    this.pending = [];
    this.nextUpdateId = 1;
    this.allowedUpdates = undefined;
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      this.pending = this.pending.filter((update) => update.update_id >= offset);
    } else if (offset < 0) {
      this.pending = this.pending.slice(offset);
    }
  }

  private accepts(update: Update): boolean {
    const type = Object.keys(update).find((key) => key !== 'update_id') ?? '';
    const allowed = this.allowedUpdates;
    if (allowed === undefined || allowed.length === 0) {
      return !OPT_IN_TYPES.has(type);
    }

    return allowed.includes(type);
  }

  private waitForUpdate(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanUp = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        if (this.waiter === waiter) {
          this.waiter = undefined;
        }
      };
      const finish = () => {
        cleanUp();
        resolve();
      };
      const waiter: Waiter = {
        wake: finish,
        fail: (error) => {
          cleanUp();
          reject(error);
        },
      };
      const timer = setTimeout(finish, timeoutMs);

      signal.addEventListener('abort', finish);
      this.waiter = waiter;
    });
  }
}
