import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingLink, User } from '../domain/user';
import { isConditionalCheckFailure, StoreError } from './errors';
import { type LinkCodeItem, type LinkTablesOptions, linkCodeKey } from './link-code-store';

/** Input of {@link IdentityLinkStore.commit}. */
export interface CommitLinkInput {
  code: LinkCodeItem;
  /** The issuing user, as read before the transactions moved; the link keeps this user and its settings. */
  issuer: User;
  /** The redeeming user, as read before the transactions moved; the link retires this user. */
  redeemer: User;
  /** Key of the chat event that redeemed the code, kept on the issuer so a retry of it reports the link. */
  eventKey: string;
}

/**
 * The writes that merge one user into another: a reservation of the link code before the move of the
 * transactions, then one transaction that re-points the identities, or the release when the link fails.
 *
 *   reserve   code.redeemingUserId = B, B.pendingLink = { intoUserId: A }       (code valid, B not merged)
 *   move      (by the caller) B's transactions → A, each marked movedFromUserId = B
 *   commit    delete code; B's identities → A; A.identities += B's; B.mergedInto = A
 *   or abandon                                          (after the caller moved the transactions back)
 *
 * A reserved code no longer expires for its redeemer, so a retry after a crash finishes the link even after
 * the code's lifetime. A second redeemer cannot reserve it.
 */
export class IdentityLinkStore {
  readonly #options: LinkTablesOptions;
  readonly #now: () => number;

  constructor(options: LinkTablesOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Reserves `code` for `redeemer` and records the link as pending on the redeemer. Returns false when the
   * code is gone, expired or reserved by another user, or the redeemer was merged or has another link
   * pending. Reserving a code again for the same redeemer succeeds, so a retry can go on.
   */
  async reserve(code: LinkCodeItem, redeemer: User): Promise<boolean> {
    const nowMs = this.#now();
    const pending: PendingLink = {
      intoUserId: code.userId,
      codeHash: code.codeHash,
      startedAtEpochMs: redeemer.pendingLink?.startedAtEpochMs ?? nowMs,
    };

    return this.#transact('reserve link code', [
      {
        Update: {
          TableName: this.#options.identitiesTable,
          Key: { identity: linkCodeKey(code.codeHash) },
          UpdateExpression: 'SET #redeeming = :redeemer',
          ConditionExpression:
            'attribute_exists(#identity) AND userId = :issuer AND ' +
            '((attribute_not_exists(#redeeming) AND #expires > :now) OR #redeeming = :redeemer)',
          ExpressionAttributeNames: {
            '#identity': 'identity',
            '#redeeming': 'redeemingUserId',
            '#expires': 'expiresAtEpochMs',
          },
          ExpressionAttributeValues: { ':redeemer': redeemer.userId, ':issuer': code.userId, ':now': nowMs },
        },
      },
      {
        Update: {
          TableName: this.#options.usersTable,
          Key: { userId: redeemer.userId },
          UpdateExpression: 'SET #pending = :pending, #updated = :now',
          ConditionExpression:
            'attribute_exists(userId) AND attribute_not_exists(#mergedInto) AND ' +
            '(attribute_not_exists(#pending) OR #pending.#codeHash = :codeHash)',
          ExpressionAttributeNames: {
            '#pending': 'pendingLink',
            '#mergedInto': 'mergedInto',
            '#codeHash': 'codeHash',
            '#updated': 'updatedAtEpochMs',
          },
          ExpressionAttributeValues: { ':pending': pending, ':codeHash': code.codeHash, ':now': nowMs },
        },
      },
    ]);
  }

  /**
   * Merges the redeemer into the issuer in one transaction. It deletes the code and the redeemer's own
   * unused code, and points the redeemer's identities at the issuer, which lists them too. The redeemer is
   * marked merged and inactive, and its pending edit is dropped. Returns false, writing nothing, when the
   * code is no longer reserved for the redeemer or either user changed identities since they were read.
   */
  async commit(input: CommitLinkInput): Promise<boolean> {
    const { code, issuer, redeemer } = input;
    const nowMs = this.#now();
    const redeemerCode =
      redeemer.linkCode === undefined || redeemer.linkCode.codeHash === code.codeHash
        ? []
        : [
            {
              Delete: {
                TableName: this.#options.identitiesTable,
                Key: { identity: linkCodeKey(redeemer.linkCode.codeHash) },
                ConditionExpression: 'attribute_not_exists(#identity) OR userId = :redeemer',
                ExpressionAttributeNames: { '#identity': 'identity' },
                ExpressionAttributeValues: { ':redeemer': redeemer.userId },
              },
            },
          ];

    return this.#transact('commit link', [
      {
        Delete: {
          TableName: this.#options.identitiesTable,
          Key: { identity: linkCodeKey(code.codeHash) },
          ConditionExpression: 'userId = :issuer AND #redeeming = :redeemer',
          ExpressionAttributeNames: { '#redeeming': 'redeemingUserId' },
          ExpressionAttributeValues: { ':issuer': issuer.userId, ':redeemer': redeemer.userId },
        },
      },
      ...redeemer.identities.map((identity) => ({
        Update: {
          TableName: this.#options.identitiesTable,
          Key: { identity },
          UpdateExpression: 'SET userId = :issuer, #linked = :now',
          ConditionExpression: 'userId = :redeemer',
          ExpressionAttributeNames: { '#linked': 'linkedAtEpochMs' },
          ExpressionAttributeValues: {
            ':issuer': issuer.userId,
            ':redeemer': redeemer.userId,
            ':now': nowMs,
          },
        },
      })),
      {
        Update: {
          TableName: this.#options.usersTable,
          Key: { userId: issuer.userId },
          UpdateExpression:
            'SET #identities = :merged, #lastLink = :eventKey, #updated = :now REMOVE #linkCode',
          // Comparing the whole list keeps one identity per channel: a link that added one meanwhile fails.
          ConditionExpression:
            'attribute_exists(userId) AND attribute_not_exists(#mergedInto) AND #identities = :identities',
          ExpressionAttributeNames: {
            '#identities': 'identities',
            '#lastLink': 'lastLinkEventKey',
            '#linkCode': 'linkCode',
            '#mergedInto': 'mergedInto',
            '#updated': 'updatedAtEpochMs',
          },
          ExpressionAttributeValues: {
            ':merged': [...issuer.identities, ...redeemer.identities],
            ':identities': issuer.identities,
            ':eventKey': input.eventKey,
            ':now': nowMs,
          },
        },
      },
      {
        Update: {
          TableName: this.#options.usersTable,
          Key: { userId: redeemer.userId },
          UpdateExpression:
            'SET #mergedInto = :issuer, #identities = :none, #status = :inactive, #updated = :now ' +
            'REMOVE #pending, #pendingAction, #linkCode',
          ConditionExpression:
            'attribute_not_exists(#mergedInto) AND #pending.#codeHash = :codeHash AND #identities = :identities',
          ExpressionAttributeNames: {
            '#mergedInto': 'mergedInto',
            '#identities': 'identities',
            '#status': 'status',
            '#pending': 'pendingLink',
            '#pendingAction': 'pendingAction',
            '#linkCode': 'linkCode',
            '#codeHash': 'codeHash',
            '#updated': 'updatedAtEpochMs',
          },
          ExpressionAttributeValues: {
            ':issuer': issuer.userId,
            ':none': [],
            ':inactive': 'inactive',
            ':codeHash': code.codeHash,
            ':identities': redeemer.identities,
            ':now': nowMs,
          },
        },
      },
      ...redeemerCode,
    ]);
  }

  /**
   * Ends a failed link after its transactions were moved back: removes the redeemer's pending link and
   * deletes the code with hash `codeHash` if it is still reserved for the redeemer, since a code works once.
   */
  async abandon(redeemerUserId: string, codeHash: string): Promise<void> {
    const removePending = {
      Update: {
        TableName: this.#options.usersTable,
        Key: { userId: redeemerUserId },
        UpdateExpression: 'REMOVE #pending SET #updated = :now',
        ConditionExpression: 'attribute_exists(userId)',
        ExpressionAttributeNames: { '#pending': 'pendingLink', '#updated': 'updatedAtEpochMs' },
        ExpressionAttributeValues: { ':now': this.#now() },
      },
    };
    const deleteCode = {
      Delete: {
        TableName: this.#options.identitiesTable,
        Key: { identity: linkCodeKey(codeHash) },
        ConditionExpression: '#redeeming = :redeemer',
        ExpressionAttributeNames: { '#redeeming': 'redeemingUserId' },
        ExpressionAttributeValues: { ':redeemer': redeemerUserId },
      },
    };
    if (await this.#transact('abandon link', [removePending, deleteCode])) {
      return;
    }

    // The code is gone or no longer reserved for this user, so only the pending link is left to remove.
    await this.#transact('abandon link', [removePending]);
  }

  async #transact(
    operation: string,
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
  ): Promise<boolean> {
    try {
      await this.#options.client.send(new TransactWriteCommand({ TransactItems: items }));

      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return false;
      }
      throw new StoreError(`TransactWriteItems (${operation})`, this.#options.usersTable, { cause: error });
    }
  }
}
