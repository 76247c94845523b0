import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReceiptArchiveConfig } from '../../lib/config';
import { createS3Client, ReceiptArchive } from '../../lib/receipts/archive';
import { InvalidReceiptImageError, ReceiptArchiveError } from '../../lib/receipts/archive-errors';
import { createDynamoResilientCaller } from '../../lib/resilience/dynamo-caller';
import type { ResilientCaller } from '../../lib/resilience/resilient-call';
import { createLocalTables, type LocalTables } from '../store/local-tables';

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const DINER_PNG = readFileSync(path.resolve(__dirname, '../fixtures/receipts/images/diner.png'));

let local: LocalTables;
let s3: S3Client;
let config: ReceiptArchiveConfig;
/** Headers of every request the archive's S3 client sent, in order. */
const sentHeaders: Array<Record<string, string>> = [];

beforeAll(async () => {
  // fauxqs serves S3 on the same endpoint as SQS; the global setup sets at least the SQS variable.
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL_SQS;
  if (endpoint === undefined) {
    throw new Error(
      'AWS_ENDPOINT_URL_SQS is not set: run this test through jest without FINANCY_UNIT_ONLY=1.',
    );
  }
  local = await createLocalTables('receipt-archive');
  config = { bucket: `receipts-${Date.now()}`, encryption: { algorithm: 'AES256' }, endpoint };
  s3 = createS3Client(config);
  s3.middlewareStack.add(
    (next) => async (args) => {
      sentHeaders.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'captureHeaders' },
  );
  await s3.send(new CreateBucketCommand({ Bucket: config.bucket }));
});

beforeEach(() => {
  sentHeaders.length = 0;
});

afterAll(() => {
  s3?.destroy();
  local?.destroy();
});

function archive(overrides: Partial<ReceiptArchiveConfig> = {}): {
  archive: ReceiptArchive;
  caller: ResilientCaller;
} {
  const caller = createDynamoResilientCaller({
    client: local.client,
    tableName: local.tables.resilience,
    logger: SILENT,
    sleep: async () => {},
  });

  return {
    archive: new ReceiptArchive({ config: { ...config, ...overrides }, caller, budgetMs: () => 10_000, s3 }),
    caller,
  };
}

describe('ReceiptArchive', () => {
  it('stores the image under a content-addressed key and reads it back', async () => {
    const sha256 = createHash('sha256').update(DINER_PNG).digest('hex');

    const archived = await archive().archive.put({
      userId: 'telegram-42',
      bytes: DINER_PNG,
      mimeType: 'image/png',
    });
    const stored = await archive().archive.get(archived.key);

    expect(archived).toEqual({
      bucket: config.bucket,
      key: `receipts/telegram-42/${sha256}.png`,
      sizeBytes: DINER_PNG.byteLength,
      sha256,
      mimeType: 'image/png',
    });
    expect(Buffer.from(stored).equals(DINER_PNG)).toBe(true);
  });

  it('sends the content type and SSE-S3 header', async () => {
    const bytes = Buffer.from('jpeg bytes for the header test');

    await archive().archive.put({ userId: 'telegram-43', bytes, mimeType: 'image/jpeg' });

    const put = sentHeaders.find((headers) => headers['content-type'] === 'image/jpeg');
    expect(put?.['x-amz-server-side-encryption']).toBe('AES256');
  });

  it('sends the KMS key with SSE-KMS', async () => {
    const bytes = Buffer.from('jpeg bytes for the KMS test');
    const kms = archive({ encryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/financy-receipts' } }).archive;

    await kms.put({ userId: 'telegram-44', bytes, mimeType: 'image/jpeg' });

    const put = sentHeaders.find((headers) => headers['content-type'] === 'image/jpeg');
    expect(put?.['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put?.['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/financy-receipts');
  });

  it('uploads the same photo only once', async () => {
    const { archive: receipts, caller } = archive();
    const bytes = Buffer.from('the same photo sent twice');

    const first = await receipts.put({ userId: 'whatsapp-351910000000', bytes, mimeType: 'image/jpeg' });
    const callsAfterFirst = caller.stats.calls;
    const second = await receipts.put({ userId: 'whatsapp-351910000000', bytes, mimeType: 'image/jpeg' });

    expect(second).toEqual(first);
    expect(callsAfterFirst).toBe(2);
    expect(caller.stats.calls - callsAfterFirst).toBe(1);
    expect(sentHeaders.filter((headers) => headers['content-type'] === 'image/jpeg')).toHaveLength(1);
  });

  it('rejects a user id that is not a plain id', async () => {
    const put = archive().archive.put({ userId: '../other-user', bytes: DINER_PNG, mimeType: 'image/png' });

    await expect(put).rejects.toBeInstanceOf(InvalidReceiptImageError);
    expect(sentHeaders).toHaveLength(0);
  });

  it('rejects a media type that is not a receipt image', async () => {
    const put = archive().archive.put({ userId: 'telegram-42', bytes: DINER_PNG, mimeType: 'text/html' });

    await expect(put).rejects.toThrow(/media type "text\/html"/);
  });

  it('names the bucket and key when S3 fails', async () => {
    const missing = archive({ bucket: 'receipts-bucket-that-does-not-exist' }).archive;

    const error = await missing
      .put({ userId: 'telegram-42', bytes: DINER_PNG, mimeType: 'image/png' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReceiptArchiveError);
    expect((error as Error).message).toContain(
      's3://receipts-bucket-that-does-not-exist/receipts/telegram-42/',
    );
  });
});
