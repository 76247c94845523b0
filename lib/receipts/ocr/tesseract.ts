/**
 * Offline OCR with tesseract.js: the WebAssembly core, the worker script and the English traineddata all
 * come from node_modules, so reading a receipt never touches the network. Used when no Vision credentials
 * are configured, by local runs and by the fake Vision server.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { AiUsage } from '../../ai/usage';
import type { OcrEngine, OcrImage, OcrResult } from './engine';
import { OcrImageError, TesseractError } from './errors';

/** Options of {@link TesseractOcrEngine}. */
export interface TesseractOcrEngineOptions {
  /**
   * Folder holding `eng.traineddata.gz`.
   * @default the `4.0.0` folder of the installed `@tesseract.js-data/eng` package
   */
  langPath?: string;
  /**
   * Folder where tesseract.js caches the unpacked traineddata.
   * @default a new folder under the system's temp folder
   */
  cachePath?: string;
}

const MODEL = 'tesseract';
// google.rpc.Code of an image that cannot be decoded, as Vision reports it.
const INVALID_ARGUMENT = 3;

/**
 * {@link OcrEngine} that reads images in this process with tesseract.js. The worker starts on the first
 * call and is reused (start 1.3 s, then 0.4–0.6 s per receipt image on a 2-vCPU AMD EPYC, measured with
 * the fixtures in test/fixtures/receipts/images). One worker reads one image at a time, so images are read
 * in order. Call {@link TesseractOcrEngine.terminate} before the process ends.
 */
export class TesseractOcrEngine implements OcrEngine {
  private worker: Promise<Worker> | undefined;

  constructor(private readonly options: TesseractOcrEngineOptions = {}) {}

  /**
   * Reads each image in order. Usage is `{ provider: 'local', model: 'tesseract', images: 1 }` per image.
   * An image that tesseract.js cannot decode gets an {@link OcrImageError} with code 3 (INVALID_ARGUMENT).
   * @throws {TesseractError} when the worker cannot start.
   */
  async recognize(images: readonly OcrImage[]): Promise<OcrResult[]> {
    await this.startedWorker();
    const results: OcrResult[] = [];
    for (const [index, image] of images.entries()) {
      try {
        results.push({ text: await this.read(image.bytes), usage: localUsage(1) });
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        results.push({
          text: '',
          usage: localUsage(0),
          error: new OcrImageError(index, INVALID_ARGUMENT, detail),
        });
      }
    }

    return results;
  }

  /** Reads the text of one image. */
  async read(bytes: Uint8Array): Promise<string> {
    const worker = await this.startedWorker();
    // tesseract.js accepts a Buffer, not a bare Uint8Array, as image data.
    const image = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    try {
      const result = await worker.recognize(image);

      return result.data.text;
    } catch (error) {
      throw new TesseractError(
        `tesseract.js could not read an image of ${bytes.byteLength} bytes: ${messageOf(error)}. Send a PNG or JPEG image.`,
        { cause: error },
      );
    }
  }

  /** Stops the worker thread. The next call starts a new one. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) {
      await (await worker).terminate();
    }
  }

  private startedWorker(): Promise<Worker> {
    if (this.worker === undefined) {
      this.worker = startWorker(this.options).catch((error: unknown) => {
        this.worker = undefined;
        throw error;
      });
    }

    return this.worker;
  }
}

async function startWorker(options: TesseractOcrEngineOptions): Promise<Worker> {
  const langPath = options.langPath ?? bundledLanguageFolder();
  const cachePath = options.cachePath ?? mkdtempSync(path.join(tmpdir(), 'financy-tesseract-'));
  try {
    // With a local `langPath` and no `corePath`, the Node worker reads the traineddata from disk and
    // requires the core from tesseract.js-core, so nothing is downloaded.
    // tesseract.js 7 rejects a failed job's promise and, without an `errorHandler`, also throws the error
    // from its message listener. That uncaught exception would end the process, so the handler ignores it.
    return await createWorker('eng', OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cachePath,
      errorHandler: () => {},
    });
  } catch (error) {
    throw new TesseractError(
      `tesseract.js could not start with langPath ${langPath}: ${messageOf(error)}. Check that @tesseract.js-data/eng is installed.`,
      { cause: error },
    );
  }
}

function bundledLanguageFolder(): string {
  const require = createRequire(path.join(process.cwd(), 'package.json'));

  return path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

function localUsage(images: number): AiUsage {
  return { provider: 'local', model: MODEL, operation: 'ocr', images };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let sharedEngine: TesseractOcrEngine | undefined;

/**
 * Reads one image with a process-wide {@link TesseractOcrEngine}, for scripts. The worker keeps the
 * process alive; call {@link terminateOfflineOcr} when done.
 * @example const { text } = await recognizeImageOffline(readFileSync('receipt.png'));
 */
export async function recognizeImageOffline(image: Uint8Array): Promise<{ text: string }> {
  sharedEngine ??= new TesseractOcrEngine();

  return { text: await sharedEngine.read(image) };
}

/** Stops the worker that {@link recognizeImageOffline} started, if any. */
export async function terminateOfflineOcr(): Promise<void> {
  await sharedEngine?.terminate();
}
