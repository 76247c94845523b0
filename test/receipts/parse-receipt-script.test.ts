import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SCRIPT = join(ROOT, 'scripts/parse-receipt.ts');
const FIXTURES = join(ROOT, 'test/fixtures/receipts');

function runScript(args: string[]) {
  return spawnSync(TSX, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('parse-receipt command', () => {
  it('prints exactly one JSON object with the receipt fields', () => {
    const run = runScript([join(FIXTURES, 'rcpt-01-cafe-luna.txt'), '--home-currency', 'EUR']);

    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual({
      merchant: 'CAFE LUNA',
      date: '2024-03-14',
      currency: 'EUR',
      total: '12.46',
      items: [
        { description: 'Latte', amount: '6.40' },
        { description: 'Croissant', amount: '2.10' },
      ],
    });
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(['merchant', 'date', 'currency', 'total', 'items']);
  });

  it('uses --home-currency when the receipt prints no currency', () => {
    const run = runScript([join(FIXTURES, 'rcpt-03c-city-pharmacy.txt'), '--home-currency', 'GBP']);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ currency: 'GBP', total: '6.20', date: '2024-03-11' });
  });

  it('names a missing file on stderr and exits with code 2, without a stack', () => {
    const missing = join(FIXTURES, 'no-such-receipt.txt');
    const run = runScript([missing]);

    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(missing);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits with code 2 for a binary file that is no supported image', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parse-receipt-')), 'receipt.bin');
    writeFileSync(path, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]));
    const run = runScript([path]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(path);
  });

  it('exits with code 2 for an invalid home currency', () => {
    const run = runScript([join(FIXTURES, 'rcpt-01-cafe-luna.txt'), '--home-currency', 'euro']);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('euro');
  });
});
