/** Recognises receipt images by their magic bytes, falling back to the file extension. */

/** Image types the receipt reader accepts, by MIME type. */
export type ReceiptImageType =
  | 'image/png'
  | 'image/jpeg'
  | 'image/webp'
  | 'image/tiff'
  | 'image/bmp'
  | 'image/heic';

const EXTENSIONS: Readonly<Record<string, ReceiptImageType>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  heic: 'image/heic',
  heif: 'image/heic',
};

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** Returns the image type the bytes start with, or `null` for anything else (text, PDF, unknown). */
export function sniffImageType(bytes: Uint8Array): ReceiptImageType | null {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
    return 'image/png';
  }

  if (starts(0xff, 0xd8, 0xff)) {
    return 'image/jpeg';
  }

  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return 'image/webp';
  }

  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) {
    return 'image/tiff';
  }

  if (starts(0x42, 0x4d) && bytes.length > 14) {
    return 'image/bmp';
  }

  if (ascii(bytes, 4, 8) === 'ftyp' && HEIC_BRANDS.has(ascii(bytes, 8, 12))) {
    return 'image/heic';
  }

  return null;
}

/** The image type a file name's extension names, or `null`. */
export function imageTypeFromName(fileName: string): ReceiptImageType | null {
  const extension = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return extension ? (EXTENSIONS[extension] ?? null) : null;
}

/** Decides whether a file is an image: magic bytes first, then the extension. */
export function receiptImageType(fileName: string, bytes: Uint8Array): ReceiptImageType | null {
  return sniffImageType(bytes) ?? imageTypeFromName(fileName);
}
