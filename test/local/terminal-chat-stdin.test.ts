import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('npm start with piped input', () => {
  let status: number | null;
  let stdout: string;

  beforeAll(() => {
    const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'financy-stdin-')), 'functions.log');
    const result = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['infra/local/start.ts', '--log-file', logFile],
      {
        cwd: ROOT,
        encoding: 'utf8',
        input: 'spent 12.50 on lunch at Subway\n',
        timeout: 120_000,
        env: { ...process.env, TELEGRAM_BOT_TOKEN: '' },
      },
    );
    status = result.status;
    stdout = result.stdout;
  }, 130_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('prints the reply to the expense', () => {
    const replyStart = stdout.indexOf('bot › ');
    const reply = replyStart === -1 ? '' : stdout.slice(replyStart);

    expect(replyStart).toBeGreaterThan(-1);
    expect(reply).toContain('✅ Saved');
    expect(reply).toContain('Expense: 12.50 USD');
    expect(reply).toContain('📍 Subway');
    expect(reply).toContain('[1] ✅ Confirm');
  });
});
