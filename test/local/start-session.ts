import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** An `npm start` child process whose terminal chat a test types into line by line. */
export interface StartSession {
  /** Everything the child printed on stdout so far. */
  stdout(): string;
  /** Types one line into the chat. */
  write(line: string): void;
  /**
   * Waits until stdout after `from` (a character offset, default 0) matches `pattern`, and returns the
   * match; throws with the output so far after `timeoutMs`.
   */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpMatchArray>;
  /** Closes stdin, as Ctrl-D does, and returns the exit code once the child has exited. */
  end(): Promise<number | null>;
  /** Sends SIGINT to the child's process group, for cleanup after a failed test. */
  kill(): void;
}

/**
 * Starts `infra/local/start.ts` with `args` (a log file is added) in its own process group, without
 * TELEGRAM_BOT_TOKEN, so the chat uses the fake Bot API.
 */
export function startSession(args: string[]): StartSession {
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'financy-session-')), 'functions.log');
  const child: ChildProcessWithoutNullStreams = spawn(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['infra/local/start.ts', ...args, '--log-file', logFile],
    { cwd: ROOT, detached: true, env: { ...process.env, TELEGRAM_BOT_TOKEN: '' } },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    stdout: () => output,
    write(line) {
      child.stdin.write(`${line}\n`);
    },
    async waitFor(pattern, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      for (;;) {
        const match = output.slice(options.from ?? 0).match(pattern);
        if (match !== null) {
          return match;
        }
        if (Date.now() > deadline) {
          throw new Error(`npm start printed no match for ${pattern}; its output so far:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    end() {
      child.stdin.end();
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(-child.pid, 'SIGINT');
      }
    },
  };
}

/** Exit code and output of a finished `npm start` run. */
export interface StartRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `infra/local/start.ts` with `args` (a log file is added) and the piped `lines`, as
 * `printf '…' | npm start` does, without TELEGRAM_BOT_TOKEN, and waits until it exits or 120 s pass.
 */
export function runStart(args: string[], lines: string[]): StartRun {
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'financy-start-')), 'functions.log');
  const result = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['infra/local/start.ts', ...args, '--log-file', logFile],
    {
      cwd: ROOT,
      encoding: 'utf8',
      input: lines.map((line) => `${line}\n`).join(''),
      timeout: 120_000,
      env: { ...process.env, TELEGRAM_BOT_TOKEN: '' },
    },
  );

  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
