import type { AlbumStore } from '../../store/album-store';
import type { AlbumQueue } from './album-queue';

/**
 * How long an album must go without a new photo before it is read, in milliseconds. Telegram sends an
 * album as one message per photo and never announces how many there are.
 * NOTE: that the photos arrive less than 1.5 s apart is an estimate. A later photo is read on its own.
 */
export const ALBUM_QUIET_MS = 1_500;

/**
 * How long after its first photo an album is read even if photos still arrive, in milliseconds. It bounds
 * the deferrals, each of which counts as a delivery toward the queue's maxReceiveCount of 5.
 */
export const ALBUM_MAX_WAIT_MS = 6_000;

/** Services the processor uses to read albums of receipt photos together. */
export interface ProcessorAlbums {
  store: Pick<AlbumStore, 'add' | 'setPlaceholder' | 'startReading' | 'finishReading' | 'get'>;
  queue: Pick<AlbumQueue, 'schedule'>;
  /** @default ALBUM_QUIET_MS */
  quietMs?: number;
  /** @default ALBUM_MAX_WAIT_MS */
  maxWaitMs?: number;
}
