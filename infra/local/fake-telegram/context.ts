import type { FakeState } from './state';
import type { UpdateQueue } from './update-queue';
import type { Params } from './validation';

/** State and request details available to a method handler. */
export interface MethodContext {
  state: FakeState;
  updates: UpdateQueue;
  /** Current time in epoch milliseconds. */
  now: number;
  /** Aborted when the client disconnects or the server stops. */
  signal: AbortSignal;
}

/** Handles one Bot API method. Throws FakeApiError for `{ ok: false }` responses. */
export type MethodHandler = (params: Params, context: MethodContext) => unknown;

/** A result with the `description` that some successful Telegram responses carry, such as setWebhook's. */
export class DescribedResult {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}
