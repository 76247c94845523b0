/**
 * Summarizes the AI cost metrics in a log of EMF lines, as `npm start` writes them: cost by operation and
 * model, and the distribution of the per-invocation totals.
 *
 *   npm run --silent cost-report -- [FILE] [--json]
 *
 * FILE defaults to the newest functions.log that `npm start` wrote without --log-file.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  costReportToJson,
  findNewestLocalLog,
  formatCostReport,
  summarizeEmfLines,
} from '../lib/ai/cost-report';

const USAGE = `Usage: npm run --silent cost-report -- [FILE] [--json]
  FILE     log of JSON lines with EMF metric lines, such as the --log-file of npm start (default: the
           newest functions.log that npm start wrote in the temporary directory)
  --json   print the report as one JSON object, with US dollar amounts as decimal strings`;

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    process.stderr.write(`cost-report: expected at most one FILE, got ${positionals.length}.\n${USAGE}\n`);
    return 2;
  }

  const file = positionals[0] ?? findNewestLocalLog();
  if (file === undefined) {
    process.stderr.write(
      'cost-report: no functions.log of npm start found in the temporary directory; pass the log file as FILE.\n',
    );
    return 2;
  }

  const report = summarizeEmfLines(readFileSync(file, 'utf8').split('\n'));
  const output = values.json
    ? JSON.stringify({ file, ...(costReportToJson(report) as object) }, null, 2)
    : `Log: ${file}\n${formatCostReport(report)}`;
  process.stdout.write(`${output}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  const isInputError =
    (error instanceof Error &&
      'code' in error &&
      ['ENOENT', 'EACCES', 'EISDIR'].includes(String(error.code))) ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  if (!isInputError) {
    throw error;
  }

  process.stderr.write(`cost-report: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
