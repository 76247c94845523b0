import { isConditionalCheckFailure } from '../store/errors';

/** Attribute values of an item that a failed condition check returned, as plain strings and numbers. */
export type OldItem = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Returns the item that a `ConditionalCheckFailedException` carries when the request set
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`, or `undefined` when the item did not exist.
 * The document client does not convert this item, so it arrives in the low-level form
 * (`{ version: { N: '3' } }`). Only the scalar types that the resilience items use are converted.
 * Returns `null` when `error` is not a failed condition check.
 */
export function oldItemOfConditionFailure(error: unknown): OldItem | undefined | null {
  if (!isConditionalCheckFailure(error)) {
    return null;
  }

  const raw = (error as { Item?: Record<string, Record<string, unknown>> }).Item;
  if (raw === undefined) {
    return undefined;
  }

  const item: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value.S === 'string') {
      item[name] = value.S;
    } else if (typeof value.N === 'string') {
      item[name] = Number(value.N);
    } else if (typeof value.BOOL === 'boolean') {
      item[name] = value.BOOL;
    } else if (value.NULL === true) {
      item[name] = null;
    }
  }

  return item;
}
