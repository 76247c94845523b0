/**
 * Measures the local parser's per-field accuracy on the labeled corpus and prints a markdown table.
 *
 *   npm run --silent parser:accuracy -- [--corpus FILE] [--id-prefix PREFIX] [--mismatches]
 *
 * `--id-prefix` scores only the entries whose id starts with PREFIX, for example `bl-`.
 * `--mismatches` also lists every wrong field with the expected and the parsed value.
 */
import { parseArgs } from 'node:util';
import { CorpusFormatError, formatAccuracyTable, measureAccuracy, readCorpus } from '../lib/parsing/accuracy';

const DEFAULT_CORPUS = 'test/fixtures/parser-corpus.jsonl';

function main(): number {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: DEFAULT_CORPUS },
      'id-prefix': { type: 'string', default: '' },
      mismatches: { type: 'boolean', default: false },
    },
  });

  const prefix = values['id-prefix'];
  const entries = readCorpus(values.corpus).filter((entry) => entry.id.startsWith(prefix));
  const report = measureAccuracy(entries);
  const scope = prefix === '' ? '' : `, ids starting with "${prefix}"`;
  const lines = [
    `Corpus: ${values.corpus} (${report.total} messages${scope})`,
    '',
    formatAccuracyTable(report),
  ];

  if (values.mismatches) {
    lines.push('', '| Id | Field | Expected | Parsed |', '|---|---|---|---|');
    for (const mismatch of report.mismatches) {
      const expected = JSON.stringify(mismatch.expected);
      const actual = JSON.stringify(mismatch.actual);
      lines.push(`| ${mismatch.id} | ${mismatch.field} | ${expected} | ${actual} |`);
    }
  }

  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  const isInputError =
    error instanceof CorpusFormatError ||
    (error instanceof Error && 'code' in error && ['ENOENT', 'EACCES'].includes(String(error.code))) ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  if (!isInputError) {
    throw error;
  }

  process.stderr.write(`parser-accuracy: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
