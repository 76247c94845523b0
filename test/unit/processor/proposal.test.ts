import { en } from '../../../lib/messages/en';
import type { ParseResult } from '../../../lib/parsing/types';
import { decodeAction, encodeAction } from '../../../lib/processor/actions';
import {
  CONFIRM_THRESHOLD,
  type Proposal,
  type ProposalContext,
  proposeTransactions,
  SAVE_THRESHOLD,
  transactionIdFor,
} from '../../../lib/processor/proposal';

function parseResult(overrides: Partial<ParseResult> = {}): ParseResult {
  return {
    kind: 'expense',
    amount: '12.50',
    currency: 'EUR',
    date: '2024-06-03',
    merchant: 'Subway',
    description: 'lunch at Subway',
    category: 'Food & Dining',
    confidence: 0.9,
    flags: [],
    ...overrides,
  };
}

function context(overrides: Partial<ProposalContext> = {}): ProposalContext {
  return {
    userId: 'user-1',
    eventKey: 'telegram:500000101',
    source: { channel: 'telegram', chatId: '11110001', messageId: 41 },
    nowMs: 1_717_400_000_000,
    explicit: false,
    ...overrides,
  };
}

function recorded(proposal: Proposal) {
  if (proposal.outcome !== 'record') {
    throw new Error(`expected transactions to record, got a question: ${proposal.message.text}`);
  }

  return proposal.transactions;
}

function question(proposal: Proposal): string {
  if (proposal.outcome !== 'ask') {
    throw new Error(`expected a question, got ${proposal.transactions.length} transactions`);
  }

  return proposal.message.text;
}

describe('proposeTransactions', () => {
  describe('thresholds', () => {
    it('uses documented thresholds', () => {
      expect(CONFIRM_THRESHOLD).toBe(0.4);
      expect(SAVE_THRESHOLD).toBe(0.7);
    });

    it.each([
      [1, 'saved'],
      [0.71, 'saved'],
      [0.7, 'pending'],
      [0.55, 'pending'],
      [0.4, 'pending'],
    ])('confidence %d gives %s', (confidence, status) => {
      const transactions = recorded(proposeTransactions(parseResult({ confidence }), context()));

      expect(transactions[0]?.status).toBe(status);
    });

    it.each([0.39, 0.2, 0])('confidence %d asks for details', (confidence) => {
      const proposal = proposeTransactions(parseResult({ confidence }), context());

      expect(question(proposal)).toBe(en.askForDetails());
    });
  });

  describe('explicit add', () => {
    it.each([0.1, 0.39, 0.5, 0.7])('saves at confidence %d', (confidence) => {
      const transactions = recorded(
        proposeTransactions(parseResult({ confidence }), context({ explicit: true })),
      );

      expect(transactions[0]?.status).toBe('saved');
    });

    it('books kind none as expense', () => {
      const parse = parseResult({ kind: 'none', category: null, confidence: 0.3 });

      const transactions = recorded(proposeTransactions(parse, context({ explicit: true })));

      expect(transactions[0]?.kind).toBe('expense');
    });

    it('asks without amount', () => {
      const parse = parseResult({ amount: null, confidence: 0.9 });

      expect(question(proposeTransactions(parse, context({ explicit: true })))).toBe(en.askForDetails());
    });
  });

  describe('questions', () => {
    it('asks for currency when null', () => {
      const proposal = proposeTransactions(parseResult({ currency: null, amount: '50' }), context());

      expect(question(proposal)).toBe(en.askForCurrency('50'));
    });

    it('asks for currency when explicit', () => {
      const proposal = proposeTransactions(parseResult({ currency: null }), context({ explicit: true }));

      expect(proposal.outcome).toBe('ask');
    });

    it('asks on precision error', () => {
      const proposal = proposeTransactions(parseResult({ amount: '0.075', currency: 'EUR' }), context());

      expect(question(proposal)).toBe(en.askToConfirmPrecision('0.075', 'EUR'));
    });

    it('asks on fractional yen', () => {
      const proposal = proposeTransactions(parseResult({ amount: '1200.5', currency: 'JPY' }), context());

      expect(proposal.outcome).toBe('ask');
    });

    it('asks on precision in second amount', () => {
      const parse = parseResult({ additional: [{ amount: '2.005', description: 'snacks' }] });

      expect(proposeTransactions(parse, context()).outcome).toBe('ask');
    });

    it('says not a transaction', () => {
      const parse = parseResult({ kind: 'none', amount: null, confidence: 0 });

      expect(question(proposeTransactions(parse, context()))).toBe(en.notATransaction());
    });

    it('asks for details on kind none with amount', () => {
      const parse = parseResult({ kind: 'none', amount: '12', confidence: 0.2 });

      expect(question(proposeTransactions(parse, context()))).toBe(en.askForDetails());
    });
  });

  describe('recorded transaction', () => {
    it('copies parse and context fields', () => {
      const parse = parseResult({ original: { amount: '19.99', currency: 'USD' } });

      const transactions = recorded(proposeTransactions(parse, context()));

      expect(transactions).toEqual([
        {
          userId: 'user-1',
          transactionId: transactionIdFor('telegram:500000101', 0),
          kind: 'expense',
          amountMinor: 1250,
          currency: 'EUR',
          date: '2024-06-03',
          merchant: 'Subway',
          description: 'lunch at Subway',
          category: 'Food & Dining',
          status: 'saved',
          confidence: 0.9,
          source: { channel: 'telegram', chatId: '11110001', messageId: 41 },
          original: { amount: '19.99', currency: 'USD' },
          createdAtEpochMs: 1_717_400_000_000,
          updatedAtEpochMs: 1_717_400_000_000,
        },
      ]);
    });

    it('leaves null merchant undefined', () => {
      const transactions = recorded(proposeTransactions(parseResult({ merchant: null }), context()));

      expect(transactions[0]?.merchant).toBeUndefined();
    });

    it('leaves null category undefined', () => {
      const transactions = recorded(proposeTransactions(parseResult({ category: null }), context()));

      expect(transactions[0]?.category).toBeUndefined();
    });

    it.each([
      ['1200', 'JPY', 1200],
      ['3.250', 'KWD', 3250],
      ['0.30', 'EUR', 30],
    ])('converts %s %s to minor units', (amount, currency, minor) => {
      const transactions = recorded(proposeTransactions(parseResult({ amount, currency }), context()));

      expect(transactions[0]?.amountMinor).toBe(minor);
    });

    it('keeps refund amount positive', () => {
      const parse = parseResult({ kind: 'refund', amount: '500', currency: 'INR' });

      const transactions = recorded(proposeTransactions(parse, context()));

      expect(transactions[0]?.kind).toBe('refund');
      expect(transactions[0]?.amountMinor).toBe(50000);
    });
  });

  describe('several amounts', () => {
    const parse = parseResult({
      amount: '50',
      description: 'coffee',
      additional: [
        { amount: '20', description: 'snacks' },
        { amount: '7.25', description: 'water' },
      ],
    });

    it('records one per amount', () => {
      expect(recorded(proposeTransactions(parse, context()))).toHaveLength(3);
    });

    it('marks all pending', () => {
      const statuses = recorded(proposeTransactions(parse, context())).map(
        (transaction) => transaction.status,
      );

      expect(statuses).toEqual(['pending', 'pending', 'pending']);
    });

    it('keeps each amount', () => {
      const amounts = recorded(proposeTransactions(parse, context())).map(
        (transaction) => transaction.amountMinor,
      );

      expect(amounts).toEqual([5000, 2000, 725]);
    });

    it('keeps each description', () => {
      const descriptions = recorded(proposeTransactions(parse, context())).map(
        (transaction) => transaction.description,
      );

      expect(descriptions).toEqual(['coffee', 'snacks', 'water']);
    });

    it('gives distinct ids', () => {
      const ids = recorded(proposeTransactions(parse, context())).map(
        (transaction) => transaction.transactionId,
      );

      expect(new Set(ids).size).toBe(3);
    });

    it('gives same ids on retry', () => {
      const first = recorded(proposeTransactions(parse, context())).map(
        (transaction) => transaction.transactionId,
      );

      const second = recorded(proposeTransactions(parse, context({ nowMs: 1_717_400_999_000 }))).map(
        (transaction) => transaction.transactionId,
      );

      expect(second).toEqual(first);
    });
  });
});

describe('transactionIdFor', () => {
  it('is stable per event key', () => {
    expect(transactionIdFor('telegram:42', 0)).toBe(transactionIdFor('telegram:42', 0));
  });

  it('differs per event key', () => {
    expect(transactionIdFor('telegram:42', 0)).not.toBe(transactionIdFor('telegram:43', 0));
  });

  it('differs per index', () => {
    expect(transactionIdFor('telegram:42', 1)).not.toBe(transactionIdFor('telegram:42', 2));
  });

  it('suffixes later indexes', () => {
    expect(transactionIdFor('telegram:42', 2)).toBe(`${transactionIdFor('telegram:42', 0)}-2`);
  });

  it.each([0, 1, 99])('fits button data at index %i', (index) => {
    const transactionId = transactionIdFor('telegram:500000101', index);

    expect(decodeAction(encodeAction({ type: 'confirm', transactionId }))).toEqual({
      type: 'confirm',
      transactionId,
    });
  });
});
