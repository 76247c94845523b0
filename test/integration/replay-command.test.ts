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

  it('exits 1 when an update is rejected', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'financy-replay-'));
    const file = path.join(directory, 'invalid.json');
    writeFileSync(file, JSON.stringify({ update_id: 1, message: { text: 'no chat' } }));

    const { status, stderr } = replay(file);

    expect(status).toBe(1);
    expect(stderr).toContain('rejected with HTTP 400');
  });
});
