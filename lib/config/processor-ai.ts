import { type AiConfig, loadAiConfig } from './ai';
import { type AiBudgetConfig, loadAiBudgetConfig } from './ai-budget';
import { boolean, type Env, integer, optional } from './environment';
import {
  loadOcrEngineConfig,
  loadReceiptArchiveConfig,
  type OcrEngineConfig,
  type ReceiptArchiveConfig,
} from './receipts';
import { loadVoiceConfig, type VoiceConfig } from './voice';

/** The processor's AI settings: text understanding, voice, receipts and the per-user budget. */
export interface ProcessorAiConfig {
  /** OpenAI settings; without a key the local parser works alone and Whisper is off. */
  openai: AiConfig;
  /**
   * The transcriber of voice notes, absent when none can run: Whisper needs the OpenAI key, Amazon
   * Transcribe its bucket.
   */
  voice?: VoiceConfig;
  /** Google Vision when its key is set, offline tesseract.js otherwise. */
  ocr: OcrEngineConfig;
  /**
   * Whether tesseract.js may read receipts in this function (OCR_OFFLINE, default on): without Vision, and
   * for users past their daily budget. Off where its traineddata is not deployed with the function.
   */
  offlineOcr: boolean;
  /** Where receipt images are archived (RECEIPTS_BUCKET); absent, images are read but not kept. */
  receiptArchive?: ReceiptArchiveConfig;
  budget: AiBudgetConfig;
  /** Largest receipt image the processor downloads (RECEIPT_MAX_IMAGE_BYTES), in bytes. */
  maxImageBytes: number;
}

/** Reads the processor's AI settings. Every service is optional, so an empty environment is valid. */
export function loadProcessorAiConfig(env: Env): ProcessorAiConfig {
  const openai = loadAiConfig(env);
  const voice = loadVoiceConfig(env);

  return {
    openai,
    voice: voice.transcriber === 'whisper' && openai.apiKey === undefined ? undefined : voice,
    ocr: loadOcrEngineConfig(env),
    offlineOcr: boolean(env, 'OCR_OFFLINE', true),
    receiptArchive:
      optional(env, 'RECEIPTS_BUCKET') === undefined ? undefined : loadReceiptArchiveConfig(env),
    budget: loadAiBudgetConfig(env),
    maxImageBytes: integer(env, 'RECEIPT_MAX_IMAGE_BYTES', 10 * 1_048_576, 1_024, 20 * 1_048_576),
  };
}
