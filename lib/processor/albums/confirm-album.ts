import { albumMessages } from '../../messages/en-albums';
import type { Action } from '../actions';
import type { ActionEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { albumSummary, loadAlbumDrafts } from './album-summary';

/**
 * Handles ✅ Confirm all under an album's summary: confirms the album's drafts that are still pending (a
 * draft confirmed, edited or deleted on its own is left as it is) and redraws the summary.
 */
export async function confirmAlbum(
  action: Extract<Action, { type: 'confirm-album' }>,
  event: ActionEvent,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const album = await dependencies.albums?.store.get(action.albumId);
  if (album === undefined || album.status !== 'read') {
    dependencies.logger.info('Confirm all pressed for an album that is not read or has expired', {
      eventKey: event.eventKey,
      albumId: action.albumId,
    });
    await reply.acknowledge(event.actionId, albumMessages.albumGone());
    return;
  }

  const drafts = await loadAlbumDrafts(album.entries, user.userId, dependencies);
  let confirmed = 0;
  for (const [transactionId, transaction] of drafts) {
    if (transaction.status !== 'pending') {
      continue;
    }
    const updated = await dependencies.transactions.update(user.userId, transactionId, {
      status: 'confirmed',
    });
    if (updated === undefined) {
      drafts.delete(transactionId);
    } else {
      drafts.set(transactionId, updated);
      confirmed += 1;
    }
  }
  await reply.acknowledge(event.actionId, albumMessages.confirmedAll(confirmed));
  await reply.edit(event.target, albumSummary(album, album.entries, drafts));
}
