/**
 * Transcripts that the fake Amazon Transcribe returns, keyed by the SHA-256 of the audio bytes. A manifest
 * such as test/fixtures/voice/manifest.json fills it, and tests add audio with `register`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The transcript and metadata that the fake returns for one audio file. */
export interface KnownVoice {
  text: string;
  durationSeconds: number;
  /** BCP-47 code that a completed job reports, such as `en-US`. */
  languageCode: string;
}

/** One manifest entry: the audio's SHA-256 in hex, or a `file` path relative to the manifest. */
interface ManifestEntry {
  sha256?: string;
  file?: string;
  text: string;
  durationSeconds: number;
  languageCode?: string;
}

const DEFAULT_LANGUAGE_CODE = 'en-US';

/** Transcripts by the SHA-256 of the audio bytes. */
export class VoiceRegistry {
  readonly #known = new Map<string, KnownVoice>();

  /** Registers `bytes` so that a job on them returns `text`. Returns the SHA-256 in hex. */
  register(
    bytes: Uint8Array,
    text: string,
    durationSeconds: number,
    languageCode = DEFAULT_LANGUAGE_CODE,
  ): string {
    const sha256 = sha256Hex(bytes);
    this.#known.set(sha256, { text, durationSeconds, languageCode });

    return sha256;
  }

  /**
   * Loads a manifest: a JSON array of `{ sha256 | file, text, durationSeconds, languageCode? }`. An entry
   * with both uses `sha256`, so the fake finds the audio that the manifest describes even if a file changed.
   */
  loadManifest(path: string): void {
    const entries: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!Array.isArray(entries)) {
      throw new Error(
        `Voice manifest ${path} is invalid: expected a JSON array of { sha256 | file, text, durationSeconds }.`,
      );
    }
    for (const entry of entries as ManifestEntry[]) {
      const voice = {
        text: entry.text,
        durationSeconds: entry.durationSeconds,
        languageCode: entry.languageCode ?? DEFAULT_LANGUAGE_CODE,
      };
      if (entry.sha256 !== undefined) {
        this.#known.set(entry.sha256.toLowerCase(), voice);
      } else if (entry.file !== undefined) {
        this.#known.set(sha256Hex(readFileSync(resolve(dirname(path), entry.file))), voice);
      } else {
        throw new Error(`Voice manifest ${path} has an entry without sha256 or file; add one of them.`);
      }
    }
  }

  lookup(sha256: string): KnownVoice | undefined {
    return this.#known.get(sha256);
  }

  clear(): void {
    this.#known.clear();
  }
}

/** SHA-256 of `bytes` in lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
