import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalFunctionLogger, openLocalLog } from '../../infra/local/local-log';
import { OutputCapture } from '../unit/functions/support';

describe('openLocalLog', () => {
  it('writes one line per call', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'financy-local-log-')), 'nested', 'functions.log');
    const log = openLocalLog(file);

    log.writeLine('{"a":1}');
    log.writeLine('{"b":2}');
    log.close();

    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('creates a temporary file without a path', () => {
    const log = openLocalLog();
    log.close();

    expect(path.basename(log.path)).toBe('functions.log');
    expect(log.path.startsWith(tmpdir())).toBe(true);
    rmSync(path.dirname(log.path), { recursive: true });
  });

  it('ignores lines after close', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'financy-local-log-')), 'functions.log');
    const log = openLocalLog(file);
    log.close();

    expect(() => log.writeLine('{"late":true}')).not.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

describe('LocalFunctionLogger', () => {
  let output: OutputCapture;

  beforeEach(() => {
    output = new OutputCapture();
    output.start();
  });

  afterEach(() => {
    output.stop();
  });

  function logger(lines: string[]) {
    return new LocalFunctionLogger({
      serviceName: 'message-processor',
      terminalLevel: 'WARN',
      writeLine: (line) => lines.push(line),
    });
  }

  it('writes INFO lines to the log only', () => {
    const lines: string[] = [];

    logger(lines).info('Stored transaction', { updateId: 1 });

    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['Stored transaction']);
    expect(output.chunks).toEqual([]);
  });

  it('writes WARN lines to the log and the terminal', () => {
    const lines: string[] = [];

    logger(lines).warn('Deferred the record', { updateId: 2 });

    expect(lines).toHaveLength(1);
    expect(output.jsonLines().map((line) => line.message)).toEqual(['Deferred the record']);
  });

  it('drops DEBUG lines', () => {
    const lines: string[] = [];

    logger(lines).debug('Waiting for a rate-limit token');

    expect(lines).toEqual([]);
  });
});
