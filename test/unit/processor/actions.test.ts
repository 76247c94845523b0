import { CATEGORIES, CATEGORY_CODES } from '../../../lib/domain/categories';
import { type Action, decodeAction, encodeAction } from '../../../lib/processor/actions';

/** Telegram's limit on `callback_data`, in bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;
const MAX_LENGTH_ID = 'tAbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-Z';

const SIMPLE_TYPES = ['confirm', 'edit', 'delete', 'choose-category', 'show', 'open'] as const;

function everyAction(transactionId: string): Action[] {
  return [
    ...SIMPLE_TYPES.map((type): Action => ({ type, transactionId })),
    ...CATEGORIES.map((category): Action => ({ type: 'set-category', transactionId, category })),
    { type: 'set-currency', currency: 'EUR' },
    { type: 'set-currency', currency: 'JPY' },
    { type: 'confirm-album', albumId: transactionId },
  ];
}

function describeAction(action: Action): string {
  return action.type === 'set-category'
    ? `set-category ${action.category}`
    : action.type === 'set-currency'
      ? `set-currency ${action.currency}`
      : action.type;
}

describe('encodeAction', () => {
  it('has a 40-character test id', () => {
    expect(MAX_LENGTH_ID).toHaveLength(40);
  });

  it.each(everyAction(MAX_LENGTH_ID).map((action) => [describeAction(action), action] as const))(
    'fits %s in 64 bytes',
    (_name, action) => {
      const data = encodeAction(action);

      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    },
  );

  it.each([
    [{ type: 'confirm', transactionId: 'tX1' }, 'c:tX1'],
    [{ type: 'edit', transactionId: 'tX1' }, 'e:tX1'],
    [{ type: 'delete', transactionId: 'tX1' }, 'd:tX1'],
    [{ type: 'choose-category', transactionId: 'tX1' }, 'k:tX1'],
    [{ type: 'show', transactionId: 'tX1' }, 'v:tX1'],
    [{ type: 'open', transactionId: 'tX1' }, 'o:tX1'],
    [{ type: 'confirm-album', albumId: 'Ab3_-x' }, 'ca:Ab3_-x'],
    [{ type: 'set-category', transactionId: 'tX1', category: 'Transportation' }, 'cat:transport:tX1'],
    [{ type: 'set-currency', currency: 'CAD' }, 'cur:CAD'],
  ] as Array<[Action, string]>)('encodes %j as %s', (action, data) => {
    expect(encodeAction(action)).toBe(data);
  });
});

describe('decodeAction', () => {
  it.each(everyAction(MAX_LENGTH_ID).map((action) => [describeAction(action), action] as const))(
    'round-trips %s with long id',
    (_name, action) => {
      expect(decodeAction(encodeAction(action))).toEqual(action);
    },
  );

  it.each(everyAction('t1').map((action) => [describeAction(action), action] as const))(
    'round-trips %s with short id',
    (_name, action) => {
      expect(decodeAction(encodeAction(action))).toEqual(action);
    },
  );

  it('gives every category a distinct code', () => {
    const codes = new Set(Object.values(CATEGORY_CODES));

    expect(codes.size).toBe(CATEGORIES.length);
  });

  it.each([
    ['empty string', ''],
    ['prefix only', 'c'],
    ['empty id', 'c:'],
    ['unknown prefix', 'x:t1'],
    ['upper-case prefix', 'C:t1'],
    ['extra part', 'c:t1:extra'],
    ['id with space', 'c:t 1'],
    ['id with dot', 'c:t.1'],
    ['41-character id', `c:${MAX_LENGTH_ID}x`],
    ['unknown category', 'cat:pets:t1'],
    ['category name instead of code', 'cat:Transportation:t1'],
    ['category without id', 'cat:food'],
    ['category with empty id', 'cat:food:'],
    ['lower-case currency', 'cur:eur'],
    ['four-letter currency', 'cur:EURO'],
    ['currency with extra part', 'cur:EUR:1'],
    ['album without id', 'ca:'],
    ['album id with a slash', 'ca:Ab/3'],
    ['album with extra part', 'ca:Ab3:1'],
    ['JSON', '{"type":"confirm","transactionId":"t1"}'],
    ['old numeric format', '42'],
    ['foreign button data', 'tx_8f2c'],
  ])('rejects %s', (_case, data) => {
    expect(decodeAction(data)).toBeUndefined();
  });

  it('decodes sample category button', () => {
    expect(decodeAction('cat:food:tx_8f2c')).toEqual({
      type: 'set-category',
      category: 'Food & Dining',
      transactionId: 'tx_8f2c',
    });
  });
});
