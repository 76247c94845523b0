import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the AWS Secrets Manager API on 127.0.0.1 that implements GetSecretValue, so functions read their
 * secrets through the same SecretsProvider and SDK client as on AWS. Point the SDK at it with
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`. It speaks the AWS JSON 1.1 protocol: the operation in the
 * `x-amz-target` header and the error name in `__type`. Requests are not authenticated.
 */
export interface FakeSecretsManager {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Number of GetSecretValue requests per secret id, found or not. */
  readonly reads: Map<string, number>;
  /** Stores `secretString` under `secretId`, which GetSecretValue accepts as the secret's ARN or name. */
  putSecret(secretId: string, secretString: string): void;
  stop(): Promise<void>;
}

const GET_SECRET_VALUE = 'secretsmanager.GetSecretValue';

/** Starts the fake Secrets Manager on a free port of 127.0.0.1. */
export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, string>();
  const reads = new Map<string, number>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readJson(request);
    if (request.headers['x-amz-target'] !== GET_SECRET_VALUE) {
      sendJson(response, 400, {
        __type: 'InvalidAction',
        message: `The fake implements only ${GET_SECRET_VALUE}.`,
      });
      return;
    }

    const secretId = typeof body.SecretId === 'string' ? body.SecretId : '';
    reads.set(secretId, (reads.get(secretId) ?? 0) + 1);
    const secretString = secrets.get(secretId);
    if (secretString === undefined) {
      sendJson(response, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
      return;
    }

    sendJson(response, 200, {
      ARN: secretId,
      Name: secretId.split(':').at(-1),
      SecretString: secretString,
      VersionId: '00000000-0000-4000-8000-000000000001',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: Math.floor(Date.now() / 1_000),
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) {
        sendJson(response, 500, { __type: 'InternalServiceError', message: 'The fake failed.' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    reads,
    putSecret(secretId, secretString) {
      secrets.set(secretId, secretString);
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
