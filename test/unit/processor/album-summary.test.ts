import type { Transaction } from '../../../lib/domain/transaction';
import { albumSummary } from '../../../lib/processor/albums/album-summary';
import { AlbumStillCollectingError } from '../../../lib/processor/albums/errors';
import { requestedDelayMs } from '../../../lib/processor/deferral';

function draft(transactionId: string, overrides: Partial<Transaction> = {}): Transaction {
  return {
    userId: 'user-1',
    transactionId,
    kind: 'expense',
    amountMinor: 1952,
    currency: 'USD',
    date: '2026-12-04',
    merchant: 'CORNER DINER',
    description: 'receipt from CORNER DINER',
    category: 'Food & Dining',
    status: 'pending',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '11110001', messageId: 92 },
    createdAtEpochMs: 0,
    updatedAtEpochMs: 0,
    ...overrides,
  };
}

const ALBUM = { albumId: 'Qm3x_Yv-0aZ8pL1sT9wEcd', caption: 'lunch <with> team' };

describe('albumSummary', () => {
  it('lists photos with their buttons', () => {
    const message = albumSummary(
      ALBUM,
      [{ transactionId: 't1' }, { reply: 'No total.' }, { transactionId: 't2' }],
      new Map([
        ['t1', draft('t1')],
        ['t2', draft('t2', { amountMinor: 1047, merchant: 'CITY PHARMACY', status: 'confirmed' })],
      ]),
    );

    expect(message.text.split('\n')).toEqual([
      '📷 <b>3 photos</b> · “lunch &lt;with&gt; team”',
      '1. 🤔 <b>19.52 USD</b> · CORNER DINER · 🏷️ Food &amp; Dining',
      '2. ⚠️ No total.',
      '3. ✅ <b>10.47 USD</b> · CITY PHARMACY · 🏷️ Food &amp; Dining',
      '',
      'Tap ✅ Confirm all to save them, or open a receipt to edit it.',
    ]);
    expect(message.buttons).toEqual([
      [{ label: '✅ Confirm all', action: `ca:${ALBUM.albumId}` }],
      [
        { label: '🧾 1 · 19.52 USD', action: 'o:t1' },
        { label: '🧾 3 · 10.47 USD', action: 'o:t2' },
      ],
    ]);
  });

  it('drops Confirm all when none pending', () => {
    const message = albumSummary(
      { albumId: ALBUM.albumId },
      [{ transactionId: 't1' }, { transactionId: 'gone' }],
      new Map([['t1', draft('t1', { status: 'confirmed' })]]),
    );

    expect(message.text).toContain('2. 🗑️ Deleted');
    expect(message.text).toContain('Open a receipt to edit it.');
    expect(message.buttons).toEqual([[{ label: '🧾 1 · 19.52 USD', action: 'o:t1' }]]);
  });

  it('shows replies without drafts', () => {
    const message = albumSummary({ albumId: ALBUM.albumId }, [{ reply: 'Too large.' }], new Map());

    expect(message.text).toBe('📷 <b>1 photo</b>\n1. ⚠️ Too large.');
    expect(message.buttons).toEqual([]);
  });
});

describe('requestedDelayMs', () => {
  it('defers a collecting album', () => {
    expect(requestedDelayMs(new AlbumStillCollectingError('Qm3x', 1_200))).toBe(1_200);
  });
});
