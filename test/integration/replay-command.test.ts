import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function replay(...files: string[]) {
  const result = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['infra/local/start.ts', '--replay', ...files],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TELEGRAM_BOT_TOKEN: '' },
    },
  );
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

  return { status: result.status, lines, stderr: result.stderr };
}

describe('npm start --replay', () => {
  it('prints the reply and the transaction', () => {
    const { status, lines } = replay('events/telegram/text-expense.json');

    expect(status).toBe(0);
    const transaction = lines.find((line) => line.type === 'transaction');
    expect(transaction).toMatchObject({
      kind: 'expense',
      amount: '12.50',
      currency: 'USD',
      merchant: 'Subway',
      status: 'saved',
    });
    const reply = lines.find((line) => line.type === 'reply');
    expect(reply?.chat_id).toBe(20000001);
    expect(reply?.buttons).toEqual(['✅ Confirm', '✏️ Edit', '🗑️ Delete', '🏷️ Change category']);
  });

  it('posts an album back to back', () => {
    const { status, lines } = replay(path.join(ROOT, '..', 'shared', 'cases', 'inputs', 'TG-03.json'));

    expect(status).toBe(0);
    const texts = lines.filter((line) => line.type === 'reply').map((line) => String(line.text));
    // The sample's files are not on the local Bot API, so every photo gets the download failure reply.
    expect(texts.filter((text) => text.startsWith('📷 2 photos'))).toHaveLength(1);
    expect(texts.filter((text) => text.startsWith('📷 1 photo'))).toHaveLength(0);
    expect(texts).toContain(
      'I can’t read image/heic images. Please send the receipt as a photo (JPEG or PNG).',
    );
  });

  it('exits 1 when an update is rejected', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'financy-replay-'));
    const file = path.join(directory, 'invalid.json');
    writeFileSync(file, JSON.stringify({ update_id: 1, message: { text: 'no chat' } }));

    const { status, stderr } = replay(file);

    expect(status).toBe(1);
    expect(stderr).toContain('rejected with HTTP 400');
  });
});

const WA_07 = path.join(ROOT, '..', 'shared', 'cases', 'inputs', 'WA-07.json');

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

describe('npm start --replay with WhatsApp payloads', () => {
  describe('a payload with two phone numbers and three senders', () => {
    let run: ReturnType<typeof replay>;

    beforeAll(() => {
      run = replay(WA_07);
    }, 130_000);

    it('exits 0', () => {
      expect(run.stderr).not.toContain('error:');
      expect(run.status).toBe(0);
    });

    it('stores one transaction per message', () => {
      const transactions = run.lines
        .filter((line) => line.type === 'transaction')
        .map((line) => `${line.amount} ${line.currency}`)
        .sort();

      expect(transactions).toEqual(['120.00 BRL', '32.50 BRL', '8.40 EUR']);
    });

    it('replies to each sender on its phone number', () => {
      const chats = run.lines
        .filter((line) => line.type === 'reply')
        .map((line) => line.chat_id)
        .sort();

      expect(chats).toEqual([
        '200000000000002:5511900000001',
        '200000000000002:5511900000003',
        '200000000000009:351910000001',
      ]);
    });

    it('moves the sample dates to today', () => {
      const dates = run.lines
        .filter((line) => line.type === 'transaction')
        .map((line) => line.date as string);

      expect(dates).toHaveLength(3);
      // A user's time zone may put today one day off the UTC date.
      for (const date of dates) {
        expect(Math.abs(Date.parse(date) - Date.parse(todayUtc()))).toBeLessThanOrEqual(86_400_000);
      }
    });
  });

  it('keeps the sample timestamps with --keep-dates', () => {
    const { status, lines } = replay('--keep-dates', WA_07);

    expect(status).toBe(0);
    const dates = lines.filter((line) => line.type === 'transaction').map((line) => line.date);
    expect(dates).toHaveLength(3);
    expect(new Set(dates)).toEqual(new Set(['2024-06-05']));
  }, 130_000);

  it('replays WhatsApp and Telegram files in one run', () => {
    const { status, lines } = replay(
      'events/whatsapp/text-expense.json',
      'events/telegram/text-expense.json',
    );

    expect(status).toBe(0);
    const chats = lines.filter((line) => line.type === 'reply').map((line) => line.chat_id);
    expect(chats).toEqual(['123456789012345:447700900123', 20000001]);
    const merchants = lines.filter((line) => line.type === 'transaction').map((line) => line.merchant);
    expect(merchants).toEqual(['Subway', 'Subway']);
  }, 130_000);

  it('confirms the sample expense with the sample button reply', () => {
    const { status, lines } = replay(
      'events/whatsapp/text-expense.json',
      'events/whatsapp/button-reply.json',
    );

    expect(status).toBe(0);
    const transactions = lines.filter((line) => line.type === 'transaction');
    expect(transactions.map((line) => line.status)).toEqual(['saved', 'confirmed']);
    expect(transactions[1]?.id).toBe(transactions[0]?.id);
    const replies = lines.filter((line) => line.type === 'reply').map((line) => String(line.text));
    expect(replies[1]).toContain('✅ Confirmed');
  }, 130_000);

  it('exits 1 when the webhook rejects a payload', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'financy-whatsapp-replay-'));
    const file = path.join(directory, 'no-entry.json');
    writeFileSync(file, JSON.stringify({ object: 'whatsapp_business_account' }));

    const { status, stderr } = replay(file);

    expect(status).toBe(1);
    expect(stderr).toContain('WhatsApp payload #1 was rejected with HTTP 400');
  }, 130_000);
});
