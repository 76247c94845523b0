import { Logger, type LogItem } from '@aws-lambda-powertools/logger';

/**
 * A Powertools logger that keeps every log line it would print, as JSON strings, for assertions on
 * what the functions log. It prints nothing.
 */
export class CapturingLogger extends Logger {
  readonly lines: string[];

  constructor(serviceName: string, lines: string[] = []) {
    super({ serviceName, logLevel: 'DEBUG' });
    this.lines = lines;
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    this.lines.push(JSON.stringify(log.getAttributes()));
  }
}
