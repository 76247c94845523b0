import { startFakeTelegram } from '../../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../../infra/local/fake-telegram/types';
import { MediaTooLargeError } from '../../../lib/channels/channel';
import { TelegramApiClient } from '../../../lib/channels/telegram/api-client';
import { TelegramChannel } from '../../../lib/channels/telegram/telegram-channel';
import { createDynamoResilientCaller } from '../../../lib/resilience/dynamo-caller';
import { createLocalTables, type LocalTables } from '../../store/local-tables';

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let fake: FakeTelegram;
let local: LocalTables;

beforeAll(async () => {
  fake = await startFakeTelegram();
  local = await createLocalTables('telegram-download');
});

afterAll(async () => {
  local.destroy();
  await fake.stop();
});

function channel(): TelegramChannel {
  const caller = createDynamoResilientCaller({
    client: local.client,
    tableName: local.tables.resilience,
    logger: SILENT,
    sleep: async () => {},
  });

  return new TelegramChannel(
    new TelegramApiClient({ token: fake.token, baseUrl: fake.url }),
    caller,
    () => 10_000,
  );
}

describe('TelegramChannel.downloadMedia', () => {
  it('downloads a voice note through getFile and the file URL', async () => {
    const bytes = Buffer.from('OggS voice note bytes');
    const stored = fake.addFile({ bytes, fileName: 'voice/file_1.oga' });

    const media = await channel().downloadMedia({ id: stored.file_id, mimeType: 'audio/ogg' }, 1_000_000);

    expect(Buffer.from(media.bytes).equals(bytes)).toBe(true);
    expect(media.mimeType).toBe('audio/ogg');
  });

  it('infers the mime type from the file path when the message gives none', async () => {
    const stored = fake.addFile({ bytes: Buffer.from([0xff, 0xd8, 0xff]), fileName: 'photos/file_2.jpg' });

    const media = await channel().downloadMedia({ id: stored.file_id }, 1_000_000);

    expect(media.mimeType).toBe('image/jpeg');
  });

  it('refuses a file announced above the limit without a request', async () => {
    const before = fake.calls.length;

    const error = await channel()
      .downloadMedia({ id: 'any', sizeBytes: 30 * 1024 * 1024 }, 25 * 1024 * 1024)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as MediaTooLargeError).limitBytes).toBe(20 * 1024 * 1024);
    expect(fake.calls.length).toBe(before);
  });

  it('refuses a file whose bytes pass the caller’s limit', async () => {
    const stored = fake.addFile({ bytes: Buffer.alloc(2_048, 1), fileName: 'documents/receipt.png' });

    const error = await channel()
      .downloadMedia({ id: stored.file_id }, 1_024)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as MediaTooLargeError).sizeBytes).toBe(2_048);
  });
});
