import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lib/store/clients';

/** A clock for injection that moves only when a test advances it, or when `sleep` waits on it. */
export class ManualClock {
  nowMs: number;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  readonly now = (): number => this.nowMs;

  /** Advances the clock by `ms` instead of waiting. */
  readonly sleep = async (ms: number): Promise<void> => {
    this.nowMs += ms;
  };

  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A document client with a connection pool of its own, as a separate Lambda instance would have. */
export interface SeparateClient {
  client: DynamoDBDocumentClient;
  destroy(): void;
}

/** Creates a client for the DynamoDB Local that jest's global setup started. */
export function createSeparateClient(): SeparateClient {
  const dynamodb = new DynamoDBClient({});
  const client = createDocumentClient(dynamodb);

  return {
    client,
    destroy: () => {
      client.destroy();
      dynamodb.destroy();
    },
  };
}

/** Returns a loopback port that nothing listens on: bound once by the OS, then closed again. */
export async function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates a client aimed at a closed port on 127.0.0.1, so every request fails to connect, as when
 * DynamoDB is unreachable. The SDK makes one attempt per request.
 */
export async function createUnreachableClient(): Promise<SeparateClient> {
  const dynamodb = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${await closedLoopbackPort()}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const client = createDocumentClient(dynamodb);

  return {
    client,
    destroy: () => {
      client.destroy();
      dynamodb.destroy();
    },
  };
}

let keyCounter = 0;

/** Returns a key that no other test in this process uses. */
export function uniqueKey(label: string): string {
  keyCounter += 1;
  return `${label}-${keyCounter}-${Date.now()}`;
}
