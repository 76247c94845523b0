/** Raised when a DynamoDB call of a store fails. `cause` contains the SDK error. */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly operation: string,
    readonly table: string,
    options: { cause: unknown },
  ) {
    super(`DynamoDB ${operation} on table ${table} failed: ${describeCause(options.cause)}`, options);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/** Returns true when an SDK error is a failed condition check, in a single write or a transaction. */
export function isConditionalCheckFailure(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  if (error.name === 'ConditionalCheckFailedException') {
    return true;
  }

  return (
    error.name === 'TransactionCanceledException' &&
    /ConditionalCheckFailed/.test((error as Error & { message: string }).message)
  );
}
