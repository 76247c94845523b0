/**
 * Conversion of transactions to the user's home currency.
 *
 * A transaction is converted when it is saved, at the rate of its date, and the result is stored with it:
 * the rate, its provider and its date. /balance and /stats then add up the stored amounts, so a total does
 * not move when rates change and the rate the user is shown is the one that was used. A transaction whose
 * conversion is pending, missing (stored before conversion existed, or edited since) or made for another
 * home currency is converted again when /balance or /stats reads it, and a successful result is stored.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { isConvertedTo } from '../domain/totals';
import type { ConvertedAmount, Transaction, TransactionConversion } from '../domain/transaction';
import { convertMinorUnits } from '../fx/convert';
import { FxRateMissingError, FxRateUnavailableError } from '../fx/errors';
import type { FxRate, FxRateReader, RateLeg } from '../fx/rate-reader';
import { utcDay } from '../fx/rate-store';
import type { TransactionStore } from '../store/transaction-store';

/** Source of exchange rates, such as {@link FxRateReader}. */
export type RateSource = Pick<FxRateReader, 'getRate'>;

/** The processor dependencies that a conversion uses. */
export interface ConversionDependencies {
  /** Absent when no rate table is configured, and then nothing is converted. */
  rates?: RateSource;
  now(): number;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/** Transactions converted or re-tried at once by {@link convertForSummary}, to bound parallel requests. */
const SUMMARY_BATCH_SIZE = 10;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** Returns the start of the UTC day with the transaction's local date, so the reader serves that day's rates. */
function rateTimeOf(date: string): number | undefined {
  const epochMs = Date.parse(`${date}T00:00:00Z`);

  return Number.isNaN(epochMs) ? undefined : epochMs;
}

/**
 * Returns the rate of the transaction's date. A date before today (UTC) reads the rates stored on that day.
 * When none were stored that day (before the hourly refresh ran, or during a provider outage), the latest
 * rate is used, and the stored `rateDate` then shows the later date. Today's and later dates get the
 * latest rate under the reader's fresh and stale windows.
 */
async function rateOfDate(
  rates: RateSource,
  from: string,
  to: string,
  date: string,
  nowMs: number,
): Promise<FxRate> {
  const atEpochMs = rateTimeOf(date);
  const isPastDay = atEpochMs !== undefined && utcDay(atEpochMs) < utcDay(nowMs);
  try {
    return await rates.getRate(from, to, atEpochMs);
  } catch (error) {
    if (isPastDay && error instanceof FxRateMissingError) {
      return rates.getRate(from, to);
    }
    throw error;
  }
}

/** Returns the date of a leg's rate: the provider's date, or our fetch day when the provider gave none. */
function legDate(leg: RateLeg): string {
  return ISO_DATE.exec(leg.providerUpdatedAt)?.[0] ?? utcDay(leg.fetchedAtEpochMs);
}

function convertedAmount(
  homeCurrency: string,
  rate: FxRate,
  amountMinor: number,
  nowMs: number,
): ConvertedAmount {
  // A cross rate has two legs; the older one dates the rate. A rate to or from the base has one leg.
  const [oldest] = [...rate.legs].sort((left, right) => legDate(left).localeCompare(legDate(right)));
  const providers = [...new Set(rate.legs.map((leg) => leg.provider))];

  return {
    status: 'converted',
    homeCurrency,
    amountMinor,
    rate: rate.rate,
    provider: providers.join('+'),
    providerUpdatedAt: oldest?.providerUpdatedAt ?? new Date(nowMs).toISOString(),
    rateDate: oldest === undefined ? utcDay(nowMs) : legDate(oldest),
    convertedAtEpochMs: nowMs,
  };
}

function pending(homeCurrency: string, reason: string, nowMs: number): TransactionConversion {
  return { status: 'pending', homeCurrency, reason, attemptedAtEpochMs: nowMs };
}

/**
 * Converts a transaction's amount to `homeCurrency` at the rate of its date, rounding half to even once at
 * the home currency's minor units. When no rate is available, or reading it fails, the result is a
 * pending conversion, so the caller keeps the original amount and never invents a rate.
 * Returns `undefined` when nothing is to be converted: the transaction is in the home currency, or no
 * rate table is configured.
 */
export async function convertTransaction(
  transaction: Transaction,
  homeCurrency: string,
  dependencies: ConversionDependencies,
): Promise<TransactionConversion | undefined> {
  const { rates, logger } = dependencies;
  if (rates === undefined || transaction.currency === homeCurrency) {
    return undefined;
  }

  const nowMs = dependencies.now();
  if (!Number.isSafeInteger(transaction.amountMinor)) {
    logger.warn('Transaction amount is not a whole number of minor units', {
      transactionId: transaction.transactionId,
      currency: transaction.currency,
    });
    return pending(homeCurrency, 'InvalidAmount', nowMs);
  }

  let rate: FxRate;
  try {
    rate = await rateOfDate(rates, transaction.currency, homeCurrency, transaction.date, nowMs);
  } catch (error) {
    if (error instanceof FxRateUnavailableError) {
      return pending(homeCurrency, error.name, nowMs);
    }
    // A failed read of the rate table must not lose the transaction: it is stored as pending and
    // converted again by the next /balance or /stats.
    logger.warn('Reading the exchange rate failed', {
      transactionId: transaction.transactionId,
      currency: transaction.currency,
      homeCurrency,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return pending(homeCurrency, error instanceof Error ? error.name : 'RateReadFailed', nowMs);
  }

  const amountMinor = convertMinorUnits(
    transaction.amountMinor,
    transaction.currency,
    homeCurrency,
    rate.rate,
  );
  if (!Number.isSafeInteger(amountMinor)) {
    return pending(homeCurrency, 'AmountOutOfRange', nowMs);
  }

  return convertedAmount(homeCurrency, rate, amountMinor, nowMs);
}

function needsConversion(transaction: Transaction, homeCurrency: string): boolean {
  return (
    transaction.status !== 'pending' &&
    transaction.currency !== homeCurrency &&
    !isConvertedTo(transaction.conversion, homeCurrency)
  );
}

/** Reads each currency and date's rate once per summary, since past days' rates are not cached by the reader. */
function memoized(rates: RateSource): RateSource {
  const results = new Map<string, Promise<FxRate>>();

  return {
    getRate(from, to, atEpochMs) {
      const key = `${from}>${to}@${atEpochMs === undefined ? 'latest' : utcDay(atEpochMs)}`;
      let result = results.get(key);
      if (result === undefined) {
        result = rates.getRate(from, to, atEpochMs);
        results.set(key, result);
      }

      return result;
    },
  };
}

/**
 * Converts the counted transactions of a summary that are not yet converted to `homeCurrency`, and stores
 * each successful conversion so that the next summary shows the same amount. Pending results are returned
 * but not stored again. Returns the transactions in the same order, each with its current conversion.
 */
export async function convertForSummary(
  transactions: Transaction[],
  homeCurrency: string,
  dependencies: ConversionDependencies & { transactions: Pick<TransactionStore, 'saveConversion'> },
): Promise<Transaction[]> {
  if (dependencies.rates === undefined) {
    return transactions;
  }

  const conversionDependencies = { ...dependencies, rates: memoized(dependencies.rates) };
  const result = [...transactions];
  const indexes = result.flatMap((transaction, index) =>
    needsConversion(transaction, homeCurrency) ? [index] : [],
  );
  let converted = 0;
  for (let start = 0; start < indexes.length; start += SUMMARY_BATCH_SIZE) {
    const batch = indexes.slice(start, start + SUMMARY_BATCH_SIZE);
    await Promise.all(
      batch.map(async (index) => {
        const transaction = result[index]!;
        const conversion = await convertTransaction(transaction, homeCurrency, conversionDependencies);
        if (conversion === undefined) {
          return;
        }
        if (conversion.status === 'converted') {
          converted += 1;
          // saveConversion skips a transaction that the user edited or deleted meanwhile, and this
          // summary still shows it as it was read.
          await dependencies.transactions.saveConversion(transaction, conversion);
        }
        result[index] = { ...transaction, conversion };
      }),
    );
  }
  if (indexes.length > 0) {
    dependencies.logger.info('Converted transactions for a summary', {
      attempted: indexes.length,
      converted,
      pending: indexes.length - converted,
    });
  }

  return result;
}
