/**
 * DynamoDB table definitions shared by the CDK stack and the local stack, so both create the same keys,
 * indexes and TTL attributes. Names here are logical; deployed names come from configuration.
 */

/** Attribute type of a key attribute. */
export type KeyType = 'S' | 'N';

/** A key attribute. */
export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/** A global secondary index projecting all attributes. */
export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

/** One table's keys, indexes and TTL attribute. */
export interface TableDefinition {
  /** Logical id, also the suffix of local table names. */
  id: TableId;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry that DynamoDB TTL deletes after. */
  timeToLiveAttribute?: string;
}

/** Logical table ids. */
export type TableId =
  | 'users'
  | 'identities'
  | 'transactions'
  | 'idempotency'
  | 'resilience'
  | 'suppressions'
  | 'fxRates'
  | 'whatsappState';

/** Users: one item per person, whatever channels they use. */
export const USERS_TABLE: TableDefinition = {
  id: 'users',
  partitionKey: { name: 'userId', type: 'S' },
  globalSecondaryIndexes: [],
};

/**
 * Channel identities (`telegram:<user id>`) pointing at a user id. A separate table lets the first
 * contact create the mapping with one conditional put, so two concurrent updates cannot create two users.
 */
export const IDENTITIES_TABLE: TableDefinition = {
  id: 'identities',
  partitionKey: { name: 'identity', type: 'S' },
  globalSecondaryIndexes: [],
};

/** Index names on the transactions table. */
export const TRANSACTION_INDEXES = {
  /** A user's transactions ordered by local date: sort key `YYYY-MM-DD#<transaction id>`. */
  byDate: 'byDate',
  /** The transaction created from one channel message, for edits: `telegram:<chat id>:<message id>`. */
  bySource: 'bySource',
  /** A transaction by its id alone, for buttons that carry only the id. */
  byId: 'byId',
} as const;

/** Transactions: partition per user, so a user's month is one Query. */
export const TRANSACTIONS_TABLE: TableDefinition = {
  id: 'transactions',
  partitionKey: { name: 'userId', type: 'S' },
  sortKey: { name: 'transactionId', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: TRANSACTION_INDEXES.byDate,
      partitionKey: { name: 'userId', type: 'S' },
      sortKey: { name: 'dateKey', type: 'S' },
    },
    { indexName: TRANSACTION_INDEXES.bySource, partitionKey: { name: 'sourceRef', type: 'S' } },
    { indexName: TRANSACTION_INDEXES.byId, partitionKey: { name: 'transactionId', type: 'S' } },
  ],
};

/** Idempotency claims and markers (update claims, reply-sent markers), deleted by TTL. */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  id: 'idempotency',
  partitionKey: { name: 'key', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAtEpochSeconds',
};

/**
 * Shared state of the resilience layer: circuit breakers and token buckets, one item per key, so every
 * Lambda instance reads and updates the same state. Idle items expire by TTL.
 */
export const RESILIENCE_TABLE: TableDefinition = {
  id: 'resilience',
  partitionKey: { name: 'stateKey', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAtEpochSeconds',
};

/**
 * E-mail suppressions, one item per lower-cased address: whether sending is suppressed, the reason and the
 * SES event behind it, and the soft bounces counted since the last delivery. Items stay until removed, so
 * there is no TTL.
 */
export const SUPPRESSIONS_TABLE: TableDefinition = {
  id: 'suppressions',
  partitionKey: { name: 'address', type: 'S' },
  globalSecondaryIndexes: [],
};

/**
 * Exchange rates against one base currency, partitioned by that base. The sort key `latest` is the merged
 * current rates, with a version for conditional writes. `day#YYYY-MM-DD` is a copy of them as last written
 * on that UTC day, for conversions at a past date. `provider#<id>` marks a provider disabled after a
 * configuration or credential failure. Rates are decimal strings.
 */
export const FX_RATES_TABLE: TableDefinition = {
  id: 'fxRates',
  partitionKey: { name: 'baseCurrency', type: 'S' },
  sortKey: { name: 'recordKey', type: 'S' },
  globalSecondaryIndexes: [],
};

/**
 * WhatsApp state, one item per key: `window#<phone_number_id>#<wa_id>` holds when the user last wrote, for
 * the 24-hour customer-service window, and `message#<wamid>` the delivery state of a message the bot sent.
 * Both expire by TTL once they no longer matter.
 */
export const WHATSAPP_STATE_TABLE: TableDefinition = {
  id: 'whatsappState',
  partitionKey: { name: 'stateKey', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAtEpochSeconds',
};

/** Every table the application uses. */
export const TABLES: readonly TableDefinition[] = [
  USERS_TABLE,
  IDENTITIES_TABLE,
  TRANSACTIONS_TABLE,
  IDEMPOTENCY_TABLE,
  RESILIENCE_TABLE,
  SUPPRESSIONS_TABLE,
  FX_RATES_TABLE,
  WHATSAPP_STATE_TABLE,
];
