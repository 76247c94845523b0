/**
 * `npx tsx scripts/render-receipt.ts RECEIPT.txt [OUT.png]`: renders the text of a receipt into a PNG for
 * OCR tests, black DejaVu Sans Mono on white at 28 pt (about twice the size of a printed till roll). It calls
 * ImageMagick's `convert` (Debian: `apt-get install imagemagick fonts-dejavu-core`). The rendered fixtures
 * under test/fixtures/receipts/images are committed, so tests need no renderer.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `Usage: npx tsx scripts/render-receipt.ts RECEIPT.txt [OUT.png]
  RECEIPT.txt  receipt text, one printed line per line
  OUT.png      image to write (default: RECEIPT.png next to the text file)
Needs ImageMagick's convert and the DejaVu fonts: apt-get install imagemagick fonts-dejavu-core`;

/** ImageMagick options of every rendering; none depends on the machine, so re-rendering gives the same PNG. */
const RENDER_OPTIONS = [
  '-background',
  'white',
  '-fill',
  'black',
  '-font',
  'DejaVu-Sans-Mono',
  '-pointsize',
  '28',
];
/** Margin around the text, as on a paper receipt, and PNG chunks that would change on every run. */
const FINISH_OPTIONS = [
  '-bordercolor',
  'white',
  '-border',
  '40',
  '-strip',
  '-define',
  'png:exclude-chunks=date,time',
];

/**
 * Returns the text as a `label:` argument. ImageMagick expands `%` escapes and backslashes in it and reads
 * a file for a leading `@`, so each of them is escaped. The text goes inline because Debian's ImageMagick
 * policy forbids `@file` arguments.
 */
function labelArgument(text: string): string {
  const escaped = text.trimEnd().replaceAll('\\', '\\\\').replaceAll('%', '%%').replace(/^@/, '\\@');

  return `label:${escaped}`;
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const { positionals } = parseArgs({ allowPositionals: true });
const [source, target = source?.replace(/\.txt$/, '.png')] = positionals;
if (source === undefined || target === undefined || target === source) {
  fail('Give the receipt text file, ending in .txt, or an output path.');
}

const result = spawnSync(
  'convert',
  [...RENDER_OPTIONS, labelArgument(readFileSync(source, 'utf8')), ...FINISH_OPTIONS, target],
  {
    encoding: 'utf8',
  },
);
if (result.error !== undefined || result.status !== 0) {
  fail(`convert failed to render ${source}: ${result.error?.message ?? result.stderr.trim()}`);
}
process.stdout.write(`wrote ${target}\n`);
