/**
 * Measures the receipt parser's per-field accuracy on the labeled OCR texts and prints a markdown table.
 *
 *   npm run --silent receipt-accuracy -- [--labels FILE] [--misses]
 *
 * `--misses` also lists every wrong field with the expected and the parsed value.
 */
import { parseArgs } from 'node:util';
import { formatReceiptAccuracyTable, ReceiptLabelsError, receiptAccuracy } from '../lib/receipts/accuracy';

const DEFAULT_LABELS = 'test/fixtures/receipts/labels.jsonl';

function main(): number {
  const { values } = parseArgs({
    options: {
      labels: { type: 'string', default: DEFAULT_LABELS },
      misses: { type: 'boolean', default: false },
    },
  });

  const report = receiptAccuracy(values.labels);
  const lines = [
    `Labels: ${values.labels} (${report.receipts} receipts)`,
    '',
    formatReceiptAccuracyTable(report),
  ];

  if (values.misses) {
    lines.push('', '| File | Field | Expected | Parsed |', '|---|---|---|---|');
    for (const miss of report.misses) {
      lines.push(
        `| ${miss.file} | ${miss.field} | ${JSON.stringify(miss.expected)} | ${JSON.stringify(miss.actual)} |`,
      );
    }
  }

  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  const isInputError =
    error instanceof ReceiptLabelsError ||
    (error instanceof Error &&
      'code' in error &&
      ['ENOENT', 'EACCES', 'EISDIR'].includes(String(error.code))) ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  if (!isInputError) {
    throw error;
  }

  process.stderr.write(`receipt-accuracy: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
