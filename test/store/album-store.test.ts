import type { AlbumPhoto } from '../../lib/store/album-store';
import { AlbumStore, albumIdFor } from '../../lib/store/album-store';
import { createLocalTables, type LocalTables } from './local-tables';

// DynamoDB Local deletes expired items by the real clock, so the injected clock starts at the real time.
const T0_MS = Date.now();
const RETENTION_SECONDS = 3_600;

let local: LocalTables;
let groupCounter = 0;

function storeAt(nowMs: number): AlbumStore {
  return new AlbumStore({
    client: local.client,
    tableName: local.tables.idempotency,
    retentionSeconds: RETENTION_SECONDS,
    now: () => nowMs,
  });
}

function freshAlbumId(): string {
  groupCounter += 1;
  return albumIdFor('telegram', '11110001', `137000000000000${groupCounter}`);
}

function photo(messageId: number, uniqueId: string, sentAtEpochMs = T0_MS): AlbumPhoto {
  return {
    eventKey: `telegram:${500_000 + messageId}`,
    messageId,
    media: { id: `file-${messageId}`, uniqueId, mimeType: 'image/jpeg' },
    sentAtEpochMs,
  };
}

function addTo(store: AlbumStore, albumId: string, added: AlbumPhoto, caption?: string) {
  return store.add({
    albumId,
    channel: 'telegram',
    chatId: '11110001',
    photo: added,
    ...(caption === undefined ? {} : { caption }),
  });
}

beforeAll(async () => {
  local = await createLocalTables('albums');
});

afterAll(() => {
  local?.destroy();
});

describe('albumIdFor', () => {
  it('separates chats with one group id', () => {
    const first = albumIdFor('telegram', '1', '137');
    const second = albumIdFor('telegram', '2', '137');

    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('AlbumStore', () => {
  it('orders photos and keeps the caption', async () => {
    const store = storeAt(T0_MS);
    const albumId = freshAlbumId();
    await addTo(store, albumId, photo(93, 'u9', T0_MS + 1_000));
    const { outcome, album } = await addTo(store, albumId, photo(92, 'u7'), 'two receipts from the market');

    expect(outcome).toBe('added');
    expect(album.photos.map((entry) => entry.messageId)).toEqual([92, 93]);
    expect(album.caption).toBe('two receipts from the market');
    expect(album.status).toBe('collecting');
  });

  it('keeps the first caption', async () => {
    const store = storeAt(T0_MS);
    const albumId = freshAlbumId();
    await addTo(store, albumId, photo(1, 'a'), 'first');

    const { album } = await addTo(store, albumId, photo(2, 'b'), 'second');

    expect(album.caption).toBe('first');
  });

  it('adds a repeated file once', async () => {
    const store = storeAt(T0_MS);
    const albumId = freshAlbumId();
    await addTo(store, albumId, photo(1, 'same'));

    const { album } = await addTo(store, albumId, photo(2, 'same'));

    expect(album.photos).toHaveLength(1);
  });

  it('closes the album once reading starts', async () => {
    const store = storeAt(T0_MS);
    const albumId = freshAlbumId();
    await addTo(store, albumId, photo(1, 'a'), 'trip');
    const reading = await store.startReading(albumId);

    const late = await addTo(store, albumId, photo(2, 'b'));

    expect(reading?.status).toBe('reading');
    expect(late.outcome).toBe('closed');
    expect(late.album.caption).toBe('trip');
    expect((await store.get(albumId))?.photos).toHaveLength(1);
  });

  it('lets a retry read again', async () => {
    const store = storeAt(T0_MS);
    const albumId = freshAlbumId();
    await addTo(store, albumId, photo(1, 'a'));
    await store.startReading(albumId);

    const retry = await store.startReading(albumId);
    await store.finishReading(albumId, [{ transactionId: 't1' }, { reply: 'no total' }]);

    expect(retry?.photos).toHaveLength(1);
    expect(await store.startReading(albumId)).toBeUndefined();
    expect((await store.get(albumId))?.entries).toEqual([{ transactionId: 't1' }, { reply: 'no total' }]);
  });

  it('replaces an expired album', async () => {
    const albumId = freshAlbumId();
    await addTo(storeAt(T0_MS), albumId, photo(1, 'a'));
    await storeAt(T0_MS).startReading(albumId);
    const later = storeAt(T0_MS + (RETENTION_SECONDS + 60) * 1_000);

    expect(await later.get(albumId)).toBeUndefined();
    const { outcome, album } = await addTo(later, albumId, photo(2, 'b'));
    expect(outcome).toBe('added');
    expect(album.photos.map((entry) => entry.messageId)).toEqual([2]);
  });

  it('records the processing message', async () => {
    const store = storeAt(T0_MS);
    const albumId = freshAlbumId();
    await addTo(store, albumId, photo(1, 'a'));

    await store.setPlaceholder(albumId, 777);

    expect((await store.get(albumId))?.placeholderMessageId).toBe(777);
  });
});
