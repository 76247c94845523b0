import type { PendingLink, User } from '../../domain/user';
import type { LinkCodeItem } from '../../store/link-code-store';
import type { TransactionStore } from '../../store/transaction-store';
import type { UserStore } from '../../store/user-store';

/** Stores that a merge writes to. */
export interface MergeStores {
  users: Pick<UserStore, 'identityLinks'>;
  transactions: Pick<TransactionStore, 'move'>;
}

/** Outcome of {@link mergeIntoIssuer}. */
export type MergeResult =
  | { status: 'linked'; movedTransactions: number }
  /** The code was used, replaced or expired meanwhile, or a user changed; nothing changed. */
  | { status: 'code-taken' };

/**
 * Merges `redeemer` into `issuer`, who issued `code`: reserves the code, moves the redeemer's transactions
 * to the issuer, then re-points the redeemer's identities in one transaction. The issuer's settings stay
 * and the redeemer's pending edit is dropped. When the final transaction fails its conditions, the
 * transactions move back and the code is deleted.
 *
 * Each step can be repeated: a retry of the chat event after a crash reserves the same code again, moves
 * what is left and commits, even after the code's lifetime.
 */
export async function mergeIntoIssuer(
  code: LinkCodeItem,
  issuer: User,
  redeemer: User,
  eventKey: string,
  stores: MergeStores,
): Promise<MergeResult> {
  const links = stores.users.identityLinks;
  if (!(await links.reserve(code, redeemer))) {
    if (redeemer.pendingLink !== undefined) {
      await rollBackLink(redeemer.userId, redeemer.pendingLink, stores);
    }
    return { status: 'code-taken' };
  }

  const move = { fromUserId: redeemer.userId, toUserId: issuer.userId, direction: 'forward' } as const;
  let movedTransactions = await stores.transactions.move(move);
  if (!(await links.commit({ code, issuer, redeemer, eventKey }))) {
    await rollBackLink(redeemer.userId, { intoUserId: issuer.userId, codeHash: code.codeHash }, stores);
    return { status: 'code-taken' };
  }

  // A transaction written to the redeemer between the move and the commit would be left behind.
  movedTransactions += await stores.transactions.move(move);

  return { status: 'linked', movedTransactions };
}

/**
 * Undoes an unfinished link of `redeemerUserId`: moves back the transactions it moved, then removes the
 * pending link and deletes its code.
 */
export async function rollBackLink(
  redeemerUserId: string,
  pending: Pick<PendingLink, 'intoUserId' | 'codeHash'>,
  stores: MergeStores,
): Promise<number> {
  const movedBack = await stores.transactions.move({
    fromUserId: pending.intoUserId,
    toUserId: redeemerUserId,
    direction: 'back',
  });
  await stores.users.identityLinks.abandon(redeemerUserId, pending.codeHash);

  return movedBack;
}
