/**
 * Repairs the OCR confusions that change numbers: a letter O read for a zero and a lowercase L or capital I read
 * for a one, but only inside a run that already holds a digit (`1O.50`, `l1,`), so words are never touched.
 */

/** A receipt line after OCR repair. */
export interface ReceiptLine {
  /** Position in the receipt, from 0. */
  index: number;
  text: string;
  /** True when a letter was replaced by a digit on this line, so values read from it deserve confirmation. */
  corrected: boolean;
}

/** A run of digits, separators and look-alike letters with at least one real digit and one look-alike. */
const DIGIT_RUN = /(?<![\p{L}])[\dOoIl](?:[\dOoIl]|[.,'](?=[\dOoIl]))*(?![\p{L}])/gu;

const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', I: '1', l: '1' };

function repairRun(run: string): string {
  const digits = run.replace(/[^\d]/g, '').length;
  const letters = run.replace(/[^OoIl]/g, '').length;
  // `lO` or `Il` alone are words or roman numerals; a run needs a real digit and at least as many digits as letters.
  if (letters === 0 || digits === 0 || letters > digits) {
    return run;
  }

  return run.replace(/[OoIl]/g, (letter) => LOOK_ALIKES[letter]!);
}

/** Joins a day-month date split by OCR (`14.03. 24`) so the date rules can read it. */
function joinSplitDate(text: string): string {
  return text.replace(/\b(\d{1,2})\.(\d{1,2})\.\s+(\d{4}|\d{2})\b(?![.,]\d)/g, '$1.$2.$3');
}

/** Splits OCR text into lines, repairing digit look-alikes and split dates; tabs become spaces. */
export function readReceiptLines(ocrText: string): ReceiptLine[] {
  return ocrText.split(/\r\n|\r|\n/).map((raw, index) => {
    const tidy = raw.replace(/\t/g, '    ').replace(/\s+$/u, '');
    const repaired = joinSplitDate(tidy.replace(DIGIT_RUN, repairRun));
    return {
      index,
      text: repaired,
      corrected: repaired.replace(/\s/g, '') !== joinSplitDate(tidy).replace(/\s/g, ''),
    };
  });
}

/**
 * Folds a label for keyword matching: lower case, accents removed, and a zero between letters read as an O
 * (`T0TAL` is `total`).
 */
export function foldLabel(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/(?<=\p{L})0+(?=\p{L})/gu, (zeros) => 'o'.repeat(zeros.length))
    .replace(/\s+/g, ' ')
    .trim();
}
