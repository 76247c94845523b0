import type { ActionButton, OutgoingMessage } from '../../channels/channel';
import type { Transaction } from '../../domain/transaction';
import { type AlbumSummaryLine, albumButtons, albumMessages } from '../../messages/en-albums';
import type { Album, AlbumEntry } from '../../store/album-store';
import { encodeAction } from '../actions';
import type { ProcessorDependencies } from '../dependencies';

/** Buttons per row under an album's summary for opening its drafts. */
const OPEN_BUTTONS_PER_ROW = 2;

/**
 * Builds an album's one reply: a line per photo, ✅ Confirm all while a draft is pending, and a button per
 * draft that opens it in its own message with the usual confirm, edit, delete and category buttons.
 * `transactions` contains the drafts as stored now. A draft missing from it was deleted.
 */
export function albumSummary(
  album: Pick<Album, 'albumId' | 'caption'>,
  entries: readonly AlbumEntry[],
  transactions: ReadonlyMap<string, Transaction>,
): OutgoingMessage {
  const lines: AlbumSummaryLine[] = entries.map((entry) => {
    if ('reply' in entry) {
      return { reply: entry.reply };
    }
    const transaction = transactions.get(entry.transactionId);
    return transaction === undefined ? { deleted: true } : { transaction };
  });

  const buttons: ActionButton[][] = [];
  if (lines.some((line) => 'transaction' in line && line.transaction.status === 'pending')) {
    buttons.push([
      {
        label: albumButtons.confirmAll,
        action: encodeAction({ type: 'confirm-album', albumId: album.albumId }),
      },
    ]);
  }
  const open: ActionButton[] = [];
  lines.forEach((line, index) => {
    if ('transaction' in line) {
      open.push({
        label: albumButtons.open(index + 1, line.transaction),
        action: encodeAction({ type: 'open', transactionId: line.transaction.transactionId }),
      });
    }
  });
  for (let index = 0; index < open.length; index += OPEN_BUTTONS_PER_ROW) {
    buttons.push(open.slice(index, index + OPEN_BUTTONS_PER_ROW));
  }

  return { text: albumMessages.summary(lines, album.caption), buttons };
}

/** Loads an album's drafts as they are stored now, by id; deleted drafts are absent from the map. */
export async function loadAlbumDrafts(
  entries: readonly AlbumEntry[],
  userId: string,
  dependencies: Pick<ProcessorDependencies, 'transactions'>,
): Promise<Map<string, Transaction>> {
  const drafts = new Map<string, Transaction>();
  for (const entry of entries) {
    if ('transactionId' in entry) {
      const transaction = await dependencies.transactions.get(userId, entry.transactionId);
      if (transaction !== undefined) {
        drafts.set(entry.transactionId, transaction);
      }
    }
  }

  return drafts;
}
