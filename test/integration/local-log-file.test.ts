import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

type JsonLine = Record<string, unknown>;

describe('npm start --log-file', () => {
  let status: number | null;
  let stdoutLines: JsonLine[];
  let stderr: string;
  let logLines: JsonLine[];

  beforeAll(() => {
    const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'financy-log-file-')), 'functions.log');
    const result = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['infra/local/start.ts', '--replay', 'events/telegram/text-expense.json', '--log-file', logFile],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, TELEGRAM_BOT_TOKEN: '' },
      },
    );
    status = result.status;
    stderr = result.stderr;
    stdoutLines = result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as JsonLine);
    logLines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as JsonLine);
  }, 130_000);

  function emfOf(metric: string): JsonLine[] {
    return logLines.filter((line) => '_aws' in line && metric in line);
  }

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('names the log file at start', () => {
    expect(stderr).toContain('Function logs');
  });

  it('writes EMF lines of both functions', () => {
    expect(emfOf('WebhookRequests')).toEqual([
      expect.objectContaining({ service: 'telegram-webhook', channel: 'telegram', outcome: 'queued' }),
    ]);
    expect(emfOf('UpdatesProcessed')).toEqual([
      expect.objectContaining({ service: 'message-processor', channel: 'telegram' }),
    ]);
    expect(emfOf('ProcessingLag')).toHaveLength(1);
  });

  it('writes EMF in the Financy namespace', () => {
    const [document] = emfOf('UpdatesProcessed');
    const aws = document!._aws as { CloudWatchMetrics: { Namespace: string }[] };

    expect(aws.CloudWatchMetrics[0]!.Namespace).toBe('Financy');
  });

  it('writes INFO log lines with the correlation id', () => {
    const queued = logLines.find((line) => line.message === 'Queued Telegram update');
    const processorLines = logLines.filter(
      (line) => line.service === 'message-processor' && line.updateId === queued?.updateId,
    );

    expect(queued).toMatchObject({ level: 'INFO', correlationId: expect.any(String) });
    expect(processorLines.length).toBeGreaterThan(0);
    expect(processorLines.every((line) => line.correlationId === queued!.correlationId)).toBe(true);
  });

  it('keeps stdout to replies and transactions', () => {
    expect(stdoutLines.map((line) => line.type).sort()).toEqual(['reply', 'transaction']);
  });
});
