/**
 * Command-line front end of the receipt parser.
 *
 *   npm run --silent parse-receipt -- FILE [--home-currency CODE] [--reference-date YYYY-MM-DD] [--timezone TZ]
 *
 * FILE is OCR text, or a receipt image (PNG, JPEG, WebP, TIFF, BMP, HEIC, recognised by its bytes or its
 * extension) that is read with the offline OCR engine first. Prints exactly one JSON object
 * {merchant, date, currency, total, items:[{description, amount}]} on stdout. A missing or unreadable file
 * prints a message naming it on stderr and exits with code 2; an OCR failure exits with code 1.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { receiptImageType } from '../lib/receipts/image-input';
import { InvalidReceiptOptionsError, parseReceipt } from '../lib/receipts/parse-receipt';
import type { ReceiptParse } from '../lib/receipts/types';

const USAGE = `Usage:
  npm run --silent parse-receipt -- FILE [options]

FILE is a receipt's OCR text or a receipt image (PNG, JPEG, WebP, TIFF, BMP, HEIC).

Options:
  --home-currency CODE        ISO 4217 code used when the receipt prints no currency. Default: USD.
  --reference-date YYYY-MM-DD The user's local date; later receipt dates are rejected. Default: today.
  --timezone TZ               IANA time zone that gives today's date. Default: UTC.
  --help                      Print this help.`;

/** Input the script cannot use: printed on stderr with exit code 2. */
class InputError extends Error {
  override readonly name = 'InputError';
}

/** OCR of an image failed: printed on stderr with exit code 1. */
class OcrFailure extends Error {
  override readonly name = 'OcrFailure';
}

function readInput(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new InputError(`cannot read "${path}": ${reason}`);
  }
}

async function recognize(path: string, bytes: Uint8Array): Promise<string> {
  let ocr: typeof import('../lib/receipts/ocr/tesseract');
  try {
    ocr = await import('../lib/receipts/ocr/tesseract');
  } catch {
    throw new OcrFailure(`cannot read image "${path}": image OCR is not available yet`);
  }

  try {
    return (await ocr.recognizeImageOffline(bytes)).text;
  } catch (error) {
    throw new OcrFailure(`cannot read image "${path}": ${(error as Error).message}`);
  } finally {
    await ocr.terminateOfflineOcr().catch(() => undefined);
  }
}

async function readReceiptText(path: string): Promise<string> {
  const bytes = readInput(path);
  if (receiptImageType(path, bytes) !== null) {
    return recognize(path, bytes);
  }

  if (bytes.includes(0)) {
    throw new InputError(
      `cannot read "${path}": it is neither text nor a PNG, JPEG, WebP, TIFF, BMP or HEIC image`,
    );
  }

  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** The printed fields, in a fixed order. */
function toRecord(
  result: ReceiptParse,
): Pick<ReceiptParse, 'merchant' | 'date' | 'currency' | 'total' | 'items'> {
  return {
    merchant: result.merchant,
    date: result.date,
    currency: result.currency,
    total: result.total,
    items: result.items.map((item) => ({ description: item.description, amount: item.amount })),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'home-currency': { type: 'string', default: 'USD' },
      'reference-date': { type: 'string' },
      timezone: { type: 'string', default: 'UTC' },
      help: { type: 'boolean', default: false },
    },
  });

  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  if (positionals.length !== 1) {
    throw new InputError('pass exactly one receipt file (OCR text or an image).');
  }

  const path = positionals[0]!;
  const text = await readReceiptText(path);
  const result = parseReceipt(text, {
    homeCurrency: values['home-currency'],
    timeZone: values.timezone,
    ...(values['reference-date'] === undefined ? {} : { referenceDate: values['reference-date'] }),
  });
  process.stdout.write(`${JSON.stringify(toRecord(result))}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const isInputError =
    error instanceof InputError ||
    error instanceof InvalidReceiptOptionsError ||
    (error instanceof RangeError && /time ?zone/i.test(error.message)) ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`parse-receipt: ${message}\n`);
  if (isInputError) {
    process.stderr.write('Run with --help for usage.\n');
  }

  process.exitCode = isInputError ? 2 : 1;
}
