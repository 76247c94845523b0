import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request that reached the fake Bot API server. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/** A scripted response of the fake server: HTTP status and JSON body. */
export interface FakeResponse {
  status: number;
  body: unknown;
}

/**
 * Fake Bot API server on 127.0.0.1. It records each request and responds with the next scripted
 * response, or with `{ ok: true, result: true }` once the script is used up.
 */
export class FakeBotApi {
  readonly requests: RecordedRequest[] = [];
  private readonly script: FakeResponse[] = [];
  private readonly server: Server = createServer((request, response) => {
    const invalidBody = {
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' },
    };
    void this.answer(request)
      .catch(() => invalidBody)
      .then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
  });

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    this.server.close();
    await once(this.server, 'close');
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Queues responses for the next requests, in order. */
  respondWith(...responses: FakeResponse[]): void {
    this.script.push(...responses);
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  private async answer(request: IncomingMessage): Promise<FakeResponse> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    this.requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      body: text === '' ? undefined : JSON.parse(text),
    });

    return this.script.shift() ?? { status: 200, body: { ok: true, result: true } };
  }
}
