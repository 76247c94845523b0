import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../fake-telegram/http';
import { FakeGraphError } from './graph-error';
import { sendHtml } from './http';
import type { FakeEndpoint, FakeFailure } from './types';

/** Failures injected with `failNext`, per endpoint, each with the number of requests it still fails. */
export class FailureQueue {
  private readonly queues = new Map<FakeEndpoint, Array<{ failure: FakeFailure; remaining: number }>>();

  add(failure: FakeFailure): void {
    const count = failure.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`failNext count ${count} is invalid; pass a positive whole number.`);
    }
    if (failure.code !== undefined && !Number.isInteger(failure.code)) {
      throw new RangeError(
        `failNext code ${failure.code} is invalid; pass a Graph API error code such as 131056.`,
      );
    }

    const endpoint = failure.endpoint ?? 'messages';
    const queue = this.queues.get(endpoint) ?? [];
    queue.push({ failure, remaining: count });
    this.queues.set(endpoint, queue);
  }

  /**
   * Responds to the request with the endpoint's next failure.
   * Returns false when none is queued, so the request is handled normally.
   */
  apply(endpoint: FakeEndpoint, request: IncomingMessage, response: ServerResponse): boolean {
    const queue = this.queues.get(endpoint);
    const entry = queue?.[0];
    if (queue === undefined || entry === undefined) {
      return false;
    }

    entry.remaining -= 1;
    if (entry.remaining === 0) {
      queue.shift();
    }

    respondWith(entry.failure, request, response);
    return true;
  }

  clear(): void {
    this.queues.clear();
  }
}

function respondWith(failure: FakeFailure, request: IncomingMessage, response: ServerResponse): void {
  if (failure.network === 'reset') {
    request.socket.destroy();
    return;
  }
  if (failure.network === 'timeout') {
    // The request stays open until the client gives up or close() ends every connection.
    return;
  }

  const headers: Record<string, string> =
    failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
  if (failure.code === undefined) {
    sendHtml(response, failure.status ?? 502, headers);
    return;
  }

  const error = new FakeGraphError(failure.code, { status: failure.status, details: failure.details });
  for (const [name, value] of Object.entries(headers)) {
    response.setHeader(name, value);
  }
  sendJson(response, error.status, error.toBody());
}
