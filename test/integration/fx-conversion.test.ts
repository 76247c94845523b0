import { type ChatUser, textUpdate } from '../../infra/local/update-factory';
import type { Transaction } from '../../lib/domain/transaction';
import type { StoredRate } from '../../lib/fx/rate-store';
import { startTestStack, type TestStack } from '../support/test-stack';

const RATE_DATE = '2026-12-04';

function storedRate(rate: string, provider: StoredRate['provider'], providerUpdatedAt: string): StoredRate {
  return { rate, provider, providerUpdatedAt, fetchedAtEpochMs: Date.now() };
}

/**
 * Returns the texts of the bot's sendMessage calls to a user's chat, oldest first, as sent (HTML). The
 * calls are read instead of the fake's chat, where a later user message can take a reply's message id.
 */
function botTexts(harness: TestStack, user: ChatUser): string[] {
  return harness.fake.calls
    .filter((call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(user.id))
    .map((call) => String(call.params.text));
}

function lastBotText(harness: TestStack, user: ChatUser): string {
  return botTexts(harness, user).at(-1) ?? '';
}

async function send(harness: TestStack, user: ChatUser, ...texts: string[]): Promise<void> {
  for (const text of texts) {
    await harness.postUpdate(textUpdate(text, { user }));
  }
  await harness.stack.settle();
}

async function storedFor(harness: TestStack, user: ChatUser, currency: string): Promise<Transaction> {
  const found = (await harness.transactions()).find(
    (transaction) => transaction.source.chatId === String(user.id) && transaction.currency === currency,
  );
  if (found === undefined) {
    throw new Error(`no ${currency} transaction was stored for chat ${user.id}`);
  }

  return found;
}

describe('FX conversion through the pipeline', () => {
  let harness: TestStack;

  beforeAll(async () => {
    // Units per 1 USD: 1 EUR = 1.25 USD, 1 USD = 160 JPY. No CHF rate is stored.
    harness = await startTestStack({
      fxRates: {
        baseCurrency: 'USD',
        rates: {
          EUR: storedRate('0.8', 'frankfurter', RATE_DATE),
          JPY: storedRate('160', 'currency-api', `${RATE_DATE}T00:00:02Z`),
        },
      },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  describe('EUR, USD and JPY expenses with home USD', () => {
    const erin: ChatUser = { id: 11110031, firstName: 'Erin' };
    let balance: string;
    let stats: string;

    beforeAll(async () => {
      await send(
        harness,
        erin,
        'spent 12.50 EUR on lunch at Subway',
        'taxi 20 USD to the airport',
        'ramen 1000 JPY at Ichiran',
      );
      await send(harness, erin, '/balance');
      balance = lastBotText(harness, erin);
      await send(harness, erin, '/stats');
      stats = lastBotText(harness, erin);
    });

    it('totals spending in USD', () => {
      // 12.50 EUR = 15.625 USD, rounded half to even to 15.62; 1000 JPY = 6.25 USD.
      expect(balance).toContain('Spent: <b>41.87 USD</b>');
    });

    it('counts all three transactions', () => {
      expect(balance).toContain('Transactions: 3');
    });

    it('names the rate date', () => {
      expect(balance).toContain(`2 transactions converted at rates of ${RATE_DATE}`);
    });

    it('shows converted stats total', () => {
      expect(stats).toContain('Total: <b>41.87 USD</b>');
      expect(stats).toContain(`2 transactions converted at rates of ${RATE_DATE}`);
    });

    it('keeps the EUR original with its rate', async () => {
      const stored = await storedFor(harness, erin, 'EUR');

      expect(stored).toMatchObject({ amountMinor: 1250, currency: 'EUR' });
      expect(stored.conversion).toMatchObject({
        status: 'converted',
        homeCurrency: 'USD',
        amountMinor: 1562,
        rate: '1.25',
        provider: 'frankfurter',
        providerUpdatedAt: RATE_DATE,
        rateDate: RATE_DATE,
      });
    });

    it('keeps the JPY original with its rate', async () => {
      const stored = await storedFor(harness, erin, 'JPY');

      expect(stored).toMatchObject({ amountMinor: 1000, currency: 'JPY' });
      expect(stored.conversion).toMatchObject({
        status: 'converted',
        amountMinor: 625,
        rate: '0.00625',
        provider: 'currency-api',
        rateDate: RATE_DATE,
      });
    });

    it('leaves the USD expense unconverted', async () => {
      const stored = await storedFor(harness, erin, 'USD');

      expect(stored.amountMinor).toBe(2000);
      expect(stored.conversion).toBeUndefined();
    });

    it('shows the conversion in the reply', () => {
      const replies = botTexts(harness, erin);

      expect(
        replies.some((text) =>
          text.includes(`💱 15.62 USD (1 EUR = 1.25 USD, frankfurter, rate of ${RATE_DATE})`),
        ),
      ).toBe(true);
    });
  });

  describe('expense in a currency without rate', () => {
    const chris: ChatUser = { id: 11110032, firstName: 'Chris' };
    let balance: string;

    beforeAll(async () => {
      await send(harness, chris, 'coffee 3 CHF at Starbucks', 'dinner 15 EUR at Nandos');
      await send(harness, chris, '/balance');
      balance = lastBotText(harness, chris);
    });

    it('stores CHF as conversion pending', async () => {
      const stored = await storedFor(harness, chris, 'CHF');

      expect(stored).toMatchObject({ amountMinor: 300, currency: 'CHF' });
      expect(stored.conversion).toMatchObject({
        status: 'pending',
        homeCurrency: 'USD',
        reason: 'FxRateMissingError',
      });
    });

    it('totals only the converted EUR', () => {
      expect(balance).toContain('Spent: <b>18.75 USD</b>');
      expect(balance).toContain('Transactions: 1');
    });

    it('lists CHF apart with its original amount', () => {
      expect(balance).toContain('Conversion to USD pending (no exchange rate yet), not counted:');
      expect(balance).toContain('• CHF: spent 3.00 CHF, income 0.00 CHF (1 transaction)');
    });

    it('never shows NaN', () => {
      expect(balance).not.toContain('NaN');
    });

    it('tells the user in the reply', () => {
      const replies = botTexts(harness, chris);

      expect(replies.some((text) => text.includes('Conversion to USD pending: no exchange rate yet'))).toBe(
        true,
      );
    });
  });
});
