import { OcrImageError } from '../../lib/receipts/ocr/errors';
import {
  recognizeImageOffline,
  TesseractOcrEngine,
  terminateOfflineOcr,
} from '../../lib/receipts/ocr/tesseract';
import { parseReceipt } from '../../lib/receipts/parse-receipt';
import {
  RECEIPT_IMAGES,
  type ReceiptImageName,
  receiptImage,
} from '../fixtures/receipts/images/receipt-images';

const FIXTURES = RECEIPT_IMAGES;

function png(name: ReceiptImageName): Uint8Array {
  return receiptImage(name).bytes;
}

const engine = new TesseractOcrEngine();

afterAll(async () => {
  await Promise.all([engine.terminate(), terminateOfflineOcr()]);
});

describe('TesseractOcrEngine', () => {
  it.each(FIXTURES)('reads the total line of the $name receipt', async ({ name, totalLine }) => {
    const [result] = await engine.recognize([{ bytes: png(name), mimeType: 'image/png' }]);

    expect(result?.error).toBeUndefined();
    expect(result?.text).toMatch(totalLine);
  });

  it.each(FIXTURES)('gives the receipt parser the $name total', async ({ name, total }) => {
    const [result] = await engine.recognize([{ bytes: png(name), mimeType: 'image/png' }]);

    const draft = parseReceipt(result?.text ?? '', { homeCurrency: 'USD', referenceDate: '2024-12-31' });

    expect(draft.total).toBe(total);
  });

  it('returns one result per image in order with local usage', async () => {
    const images = FIXTURES.map(({ name }) => ({ bytes: png(name), mimeType: 'image/png' }));

    const results = await engine.recognize(images);

    expect(results).toHaveLength(3);
    results.forEach((result, index) => {
      expect(result.text).toMatch(FIXTURES[index]?.totalLine ?? /never/);
      expect(result.usage).toEqual({ provider: 'local', model: 'tesseract', operation: 'ocr', images: 1 });
    });
  });

  it('isolates an undecodable image from the others', async () => {
    const garbage = new TextEncoder().encode('this is not an image');

    const [bad, good] = await engine.recognize([
      { bytes: garbage, mimeType: 'image/png' },
      { bytes: png('diner'), mimeType: 'image/png' },
    ]);

    expect(bad?.error).toBeInstanceOf(OcrImageError);
    expect(bad?.error?.imageIndex).toBe(0);
    expect(bad?.text).toBe('');
    expect(bad?.usage.images).toBe(0);
    expect(good?.text).toMatch(/^TOTAL\s+19\.52$/m);
  });
});

describe('recognizeImageOffline', () => {
  it('reads one image for scripts', async () => {
    const { text } = await recognizeImageOffline(png('pharmacy'));

    expect(text).toContain('CITY PHARMACY');
    expect(text).toMatch(/^AMOUNT DUE\s+10\.47$/m);
  });
});
