import { closeSync, mkdirSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger, type LogItem, LogLevelThreshold } from '@aws-lambda-powertools/logger';

/**
 * The local stack's log output: a file of JSON lines with what CloudWatch Logs would receive on AWS. It
 * contains the functions' log lines at INFO and above and one EMF line per metric data point.
 */
export interface LocalLog {
  /** Absolute path of the file. */
  readonly path: string;
  /** Appends one line, which must not contain a line break. */
  writeLine(line: string): void;
  close(): void;
}

/**
 * Creates or truncates the log file at `filePath`, or at `functions.log` in a new temporary directory
 * when `filePath` is omitted. Lines are written synchronously, so none is lost when the process exits.
 */
export function openLocalLog(filePath?: string): LocalLog {
  const resolved =
    filePath === undefined
      ? path.join(mkdtempSync(path.join(tmpdir(), 'financy-local-')), 'functions.log')
      : path.resolve(filePath);
  mkdirSync(path.dirname(resolved), { recursive: true });
  const descriptor = openSync(resolved, 'w');
  let open = true;

  return {
    path: resolved,
    writeLine(line) {
      if (open) {
        writeSync(descriptor, `${line}\n`);
      }
    },
    close() {
      if (open) {
        open = false;
        closeSync(descriptor);
      }
    },
  };
}

/** Options of {@link LocalFunctionLogger}. */
export interface LocalFunctionLoggerOptions {
  serviceName: string;
  /** Lowest level printed on the terminal. Lines below it go only to `writeLine`. */
  terminalLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Receives every log line at INFO and above, as a JSON string. */
  writeLine: (line: string) => void;
}

/**
 * A function's Powertools Logger for the local stack. It writes every line at INFO and above, the level
 * the deployed functions use, to the local log, and prints the lines at `terminalLevel` and above as
 * Powertools does, so the terminal chat stays readable.
 */
export class LocalFunctionLogger extends Logger {
  // Plain properties, not #private ones: the base constructor already prints buffered lines (such as the
  // sampling notice), and reading a #private field before it is initialized throws.
  private readonly writeLine: ((line: string) => void) | undefined;
  private readonly terminalThreshold: number | undefined;

  constructor(options: LocalFunctionLoggerOptions) {
    super({
      serviceName: options.serviceName,
      logLevel: options.terminalLevel === 'DEBUG' ? 'DEBUG' : 'INFO',
    });
    this.writeLine = options.writeLine;
    this.terminalThreshold = LogLevelThreshold[options.terminalLevel];
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.writeLine?.(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
    if (logLevel >= (this.terminalThreshold ?? LogLevelThreshold.INFO)) {
      super.printLog(logLevel, log);
    }
  }
}
