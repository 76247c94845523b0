import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from '@grammyjs/types';
import { FakeApiError } from './api-error';
import { DescribedResult } from './context';
import { disconnectSignal, readParams, sendBytes, sendJson } from './http';
import { findMethod } from './methods';
import { FakeState } from './state';
import type {
  FakeMessage,
  FakeTelegram,
  FakeTelegramOptions,
  FakeWebhook,
  InjectedFailure,
  RecordedCall,
} from './types';
import { UpdateQueue } from './update-queue';
import type { Params } from './validation';

export type * from './types';

const NOT_FOUND = new FakeApiError(404, 'Not Found');
const UNAUTHORIZED = new FakeApiError(401, 'Unauthorized');
const DEFAULT_BOT_ID = 7_000_000_001;

/**
 * Starts a fake Telegram Bot API server on 127.0.0.1.
 * It responds to `GET` and `POST /bot<token>/<method>` and `GET /file/bot<token>/<file_path>` with
 * Telegram's response shapes and error texts. See methods.ts for the implemented methods.
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

class FakeTelegramServer implements FakeTelegram {
  url = '';
  readonly token: string;
  readonly calls: RecordedCall[] = [];
  private readonly state: FakeState;
  private readonly updates = new UpdateQueue();
  private readonly listeners = new Set<(call: RecordedCall) => void>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly stopping = new AbortController();
  private readonly http: Server;

  constructor(options: FakeTelegramOptions) {
    this.token = options.token ?? `${DEFAULT_BOT_ID}:${randomBytes(27).toString('base64url').slice(0, 35)}`;
    if (!/^\d+:[\w-]+$/.test(this.token)) {
      throw new TypeError('Fake Telegram token is invalid; pass "<bot id>:<secret>", for example "123:abc".');
    }

    this.state = new FakeState(Number(this.token.split(':')[0]), options.botUsername ?? 'financy_local_bot');
    this.http = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => resolve());
    });

    const address = this.http.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
  }

  messages(chatId?: number): FakeMessage[] {
    return this.state.botMessages(chatId);
  }

  on(_event: 'call', listener: (call: RecordedCall) => void): void {
    this.listeners.add(listener);
  }

  off(_event: 'call', listener: (call: RecordedCall) => void): void {
    this.listeners.delete(listener);
  }

  pushUpdate(update: Update | Omit<Update, 'update_id'>): Update {
    const stored = this.updates.push(update);
    this.state.rememberUpdate(stored, Date.now());
    return stored;
  }

  observeUpdate(update: Update): void {
    this.state.rememberUpdate(update, Date.now());
  }

  nextMessageId(chatId: number): number {
    return this.state.nextMessageId(chatId);
  }

  registerCallbackQuery(id: string, options: { receivedAt?: number } = {}): void {
    this.state.registerCallbackQuery(id, options.receivedAt ?? Date.now());
  }

  addInlineMessage(options: { inlineMessageId?: string; text: string }): string {
    return this.state.addInlineMessage(options.inlineMessageId, options.text, Date.now());
  }

  addFile(options: { fileId?: string; bytes: Buffer; fileName?: string }) {
    const { bytes: _bytes, ...metadata } = this.state.addFile(
      options.bytes,
      options.fileId,
      options.fileName,
    );
    return metadata;
  }

  failNext(method: string, response: InjectedFailure, times = 1): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`failNext times ${times} is invalid; pass a positive integer.`);
    }

    const key = method.toLowerCase();
    const queue = this.failures.get(key) ?? [];
    queue.push(...Array.from({ length: times }, () => response));
    this.failures.set(key, queue);
  }

  blockChat(chatId: number): void {
    this.state.blockChat(chatId);
  }

  webhook(): FakeWebhook | undefined {
    return this.state.webhook === undefined ? undefined : { ...this.state.webhook };
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.clear();
    this.state.reset();
    this.updates.reset();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.updates.release();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // The last path segment names the method. Recording the whole path would record the token.
    const segment = url.pathname.split('/').at(-1) ?? '';
    const call = { method: segment.includes(this.token) ? '' : segment, params: {} as Params, at };

    try {
      call.params = await readParams(request, url);
      await this.route(request, response, url, call);
    } catch (error) {
      const apiError =
        error instanceof FakeApiError
          ? error
          : new FakeApiError(500, `Internal Server Error: ${String(error)}`);
      this.finish(response, call, apiError.errorCode, apiError.toBody());
    }
  }

  private async route(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    call: Omit<RecordedCall, 'response'>,
  ): Promise<void> {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file !== null) {
      const filePath = decodeURIComponent(file[2] ?? '');
      this.serveFile(request, response, decodeURIComponent(file[1] ?? ''), {
        ...call,
        method: 'file',
        params: { file_path: filePath },
      });
      return;
    }

    const match = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (match === null) {
      this.finish(response, call, 404, NOT_FOUND.toBody());
      return;
    }

    if (decodeURIComponent(match[1] ?? '') !== this.token) {
      this.finish(response, call, 401, UNAUTHORIZED.toBody());
      return;
    }

    const method = findMethod(match[2] ?? '');
    if (method === undefined) {
      this.finish(response, call, 404, NOT_FOUND.toBody());
      return;
    }

    call.method = method.name;
    if (this.applyFailure(request, response, call)) {
      return;
    }

    const signal = AbortSignal.any([this.stopping.signal, disconnectSignal(response)]);
    const context = { state: this.state, updates: this.updates, now: Date.now(), signal };
    const value = await method.handler(call.params, context);
    const body =
      value instanceof DescribedResult
        ? { ok: true, result: value.result, description: value.description }
        : { ok: true, result: value };
    this.finish(response, call, 200, body);
  }

  private serveFile(
    request: IncomingMessage,
    response: ServerResponse,
    token: string,
    call: Omit<RecordedCall, 'response'>,
  ): void {
    if (token !== this.token) {
      this.finish(response, call, 401, UNAUTHORIZED.toBody());
      return;
    }

    if (this.applyFailure(request, response, call)) {
      return;
    }

    const file = this.state.fileByPath(String(call.params.file_path));
    if (file === undefined) {
      this.finish(response, call, 404, NOT_FOUND.toBody());
      return;
    }

    this.record({ ...call, response: { status: 200, body: `<${file.file_size} bytes>` } });
    sendBytes(response, file.bytes);
  }

  /** Responds to the request with the next injected failure for its method. Returns false when none is queued. */
  private applyFailure(
    request: IncomingMessage,
    response: ServerResponse,
    call: Omit<RecordedCall, 'response'>,
  ): boolean {
    const failure = this.failures.get(call.method.toLowerCase())?.shift();
    if (failure === undefined) {
      return false;
    }

    if (failure === 'timeout') {
      // The request stays open until the client gives up or stop() closes every connection.
      this.record({ ...call, response: 'timeout' });
      return true;
    }

    if (failure === 'reset') {
      this.record({ ...call, response: 'reset' });
      request.socket.destroy();
      return true;
    }

    this.finish(response, call, failure.status, failure.body);
    return true;
  }

  private finish(
    response: ServerResponse,
    call: Omit<RecordedCall, 'response'>,
    status: number,
    body: unknown,
  ) {
    this.record({ ...call, response: { status, body } });
    if (!response.destroyed) {
      sendJson(response, status, body);
    }
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const listener of this.listeners) {
      try {
        listener(call);
      } catch (error) {
        console.error('Fake Telegram call listener failed; continuing with the next listener', error);
      }
    }
  }
}
