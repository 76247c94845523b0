import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('npm start --channel whatsapp with piped input', () => {
  let status: number | null;
  let stdout: string;
  let replies: string[];

  beforeAll(() => {
    const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'financy-whatsapp-chat-')), 'functions.log');
    const result = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['infra/local/start.ts', '--channel', 'whatsapp', '--log-file', logFile],
      {
        cwd: ROOT,
        encoding: 'utf8',
        input: 'spent 12.50 on lunch at Subway\n1\n',
        timeout: 120_000,
        env: { ...process.env, TELEGRAM_BOT_TOKEN: '' },
      },
    );
    status = result.status;
    stdout = result.stdout;
    replies = stdout.split('bot › ').slice(1);
  }, 130_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('prints the WhatsApp URLs at start', () => {
    expect(stdout).toMatch(/WhatsApp webhook +GET and POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/whatsapp/);
    expect(stdout).toMatch(/WhatsApp Graph API http:\/\/127\.0\.0\.1:\d+ \(local fake/);
  });

  it('prints the reply to the expense in BRL', () => {
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('✅ Saved');
    expect(replies[0]).toContain('Expense: 12.50 BRL');
    expect(replies[0]).toContain('📍 Subway');
    expect(replies[0]).toContain('[1] ✅ Confirm');
  });

  it('presses the first option', () => {
    expect(replies[1]).toContain('✅ Confirmed');
    expect(replies[1]).toContain('Expense: 12.50 BRL');
  });

  it('stores no transaction from the number', () => {
    expect(stdout).not.toContain('Expense: 1.00');
  });
});
