import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SCRIPT = join(ROOT, 'scripts/parse.ts');

function runCli(args: string[]) {
  return spawnSync(TSX, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
}

function writeJsonl(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'parse-cli-')), 'input.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('parse command', () => {
  it('prints one JSON object with the result fields', () => {
    const run = runCli([
      '--reference-time',
      '2026-03-18T12:00:00',
      '--timezone',
      'Europe/Lisbon',
      '--home-currency',
      'EUR',
      'spent 12,50 on lunch at Subway yesterday',
    ]);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      kind: 'expense',
      amount: '12.50',
      currency: 'EUR',
      date: '2026-03-17',
      merchant: 'Subway',
      description: 'lunch at Subway',
      category: 'Food & Dining',
      confidence: 0.9,
      flags: [],
    });
  });

  it('defaults to USD', () => {
    const run = runCli(['coffee 3']);

    expect(JSON.parse(run.stdout).currency).toBe('USD');
  });

  it.each([
    [['--timezone', 'Mars/Olympus', 'coffee 3'], /Invalid time zone "Mars\/Olympus"/],
    [['--home-currency', 'EURO', 'coffee 3'], /Invalid home currency "EURO"/],
    [['--reference-time', '2026-02-30T10:00', 'coffee 3'], /Invalid local time "2026-02-30T10:00"/],
    [['--colour', 'coffee 3'], /Unknown option '--colour'/],
    [[], /Missing message text/],
    [['--jsonl', '/nonexistent/input.jsonl'], /Cannot read --jsonl file/],
  ])('exits with code 2 for %j', (args, message) => {
    const run = runCli(args);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints one line per JSONL input with the id first', () => {
    const path = writeJsonl([
      '{"id":"a","text":"coffee 3","reference_time":"2026-03-18T00:30:00","timezone":"Asia/Tokyo","home_currency":"JPY"}',
      '{"id":"b","text":"taxi 20 yesterday","reference_time":"2026-03-18T23:30:00","timezone":"America/Los_Angeles","home_currency":"USD"}',
    ]);

    const run = runCli(['--jsonl', path]);
    const lines = run.stdout.trim().split('\n');

    expect(run.status).toBe(0);
    expect(lines).toHaveLength(2);
    expect(Object.keys(JSON.parse(lines[0]!))[0]).toBe('id');
    expect(JSON.parse(lines[0]!).date).toBe('2026-03-18');
    expect(JSON.parse(lines[1]!).date).toBe('2026-03-17');
  });

  it('reads reference time inside DST gap', () => {
    const path = writeJsonl([
      '{"id":"gap","text":"coffee 3 today","reference_time":"2026-03-29T02:30:00","timezone":"Europe/Berlin","home_currency":"EUR"}',
    ]);

    const run = runCli(['--jsonl', path]);

    expect(JSON.parse(run.stdout).date).toBe('2026-03-29');
  });

  it('reports a bad JSONL line and goes on', () => {
    const path = writeJsonl(['not json', '{"id":"ok","text":"coffee 3"}']);

    const run = runCli(['--jsonl', path]);
    const lines = run.stdout.trim().split('\n');

    expect(run.status).toBe(1);
    expect(JSON.parse(lines[0]!).error).toMatch(/line 1/);
    expect(JSON.parse(lines[1]!).id).toBe('ok');
  });
});
