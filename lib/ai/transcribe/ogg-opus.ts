/**
 * Reads the headers of OGG/Opus audio, the format of Telegram and WhatsApp voice notes: whether bytes are
 * OGG/Opus, and the audio's duration from the last page's granule position, without decoding any audio.
 * The formats are those of RFC 3533 (Ogg pages) and RFC 7845 (Opus in Ogg).
 */

/** Header fields of an OGG/Opus stream. */
export interface OggOpusInfo {
  /** Channels of the decoded audio, 1 for a voice note. */
  channels: number;
  /** Sample rate of the audio the encoder was given, in Hz. Opus always decodes at 48 kHz. */
  inputSampleRate: number;
  /** Samples at 48 kHz that a decoder discards at the start. */
  preSkip: number;
  /** Playback length: the last granule position less `preSkip`, at 48 kHz. */
  durationSeconds: number;
}

/** Raised when bytes are not a well-formed OGG/Opus stream. */
export class InvalidOggOpusError extends Error {
  override readonly name = 'InvalidOggOpusError';
}

const CAPTURE_PATTERN = 'OggS';
const OPUS_HEAD = 'OpusHead';
/** Opus granule positions count samples at 48 kHz whatever the input rate (RFC 7845, section 4). */
const OPUS_GRANULE_RATE = 48_000;
/** Capture pattern, version, header type, granule, serial, sequence, CRC and segment count (RFC 3533). */
const PAGE_HEADER_BYTES = 27;
/** Magic signature, version, channel count, pre-skip and input sample rate (RFC 7845, section 5.1). */
const OPUS_HEAD_MIN_BYTES = 19;

/**
 * Returns true when `bytes` start with an Ogg page whose first packet is an Opus identification header
 * (`OggS` … `OpusHead`). Ogg Vorbis and other Ogg codecs return false.
 */
export function isOggOpus(bytes: Uint8Array): boolean {
  if (!startsWithAscii(bytes, 0, CAPTURE_PATTERN) || bytes.length < PAGE_HEADER_BYTES) {
    return false;
  }

  const segmentCount = bytes[26] ?? 0;

  return startsWithAscii(bytes, PAGE_HEADER_BYTES + segmentCount, OPUS_HEAD);
}

/**
 * Reads the Opus identification header and the duration of an OGG/Opus stream by walking its page headers.
 * @throws {InvalidOggOpusError} when the bytes are not OGG/Opus or a page is cut short.
 * @example readOggOpusInfo(voiceNote).durationSeconds // 2.38
 */
export function readOggOpusInfo(bytes: Uint8Array): OggOpusInfo {
  if (!isOggOpus(bytes)) {
    throw new InvalidOggOpusError(
      `Audio of ${bytes.length} bytes is not OGG/Opus: expected "OggS" followed by an "OpusHead" packet.`,
    );
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headOffset = PAGE_HEADER_BYTES + (bytes[26] ?? 0);
  if (bytes.length < headOffset + OPUS_HEAD_MIN_BYTES) {
    throw new InvalidOggOpusError(`The OpusHead packet is cut short at ${bytes.length} bytes.`);
  }
  const channels = view.getUint8(headOffset + 9);
  const preSkip = view.getUint16(headOffset + 10, true);
  const inputSampleRate = view.getUint32(headOffset + 12, true);

  const lastGranule = lastGranulePosition(bytes, view);
  const samples = Math.max(0, lastGranule - preSkip);

  return { channels, inputSampleRate, preSkip, durationSeconds: samples / OPUS_GRANULE_RATE };
}

/**
 * Returns the granule position of the last page that completes a packet. A granule of -1 marks a page on
 * which no packet ends, and such pages are skipped.
 */
function lastGranulePosition(bytes: Uint8Array, view: DataView): number {
  let offset = 0;
  let granule = 0;
  while (offset < bytes.length) {
    if (!startsWithAscii(bytes, offset, CAPTURE_PATTERN) || offset + PAGE_HEADER_BYTES > bytes.length) {
      throw new InvalidOggOpusError(`No Ogg page starts at byte ${offset} of ${bytes.length}.`);
    }

    const segmentCount = view.getUint8(offset + 26);
    const segmentTableEnd = offset + PAGE_HEADER_BYTES + segmentCount;
    if (segmentTableEnd > bytes.length) {
      throw new InvalidOggOpusError(`The Ogg page at byte ${offset} is cut short.`);
    }
    let bodyBytes = 0;
    for (let index = offset + PAGE_HEADER_BYTES; index < segmentTableEnd; index += 1) {
      bodyBytes += bytes[index] ?? 0;
    }

    const pageGranule = view.getBigInt64(offset + 6, true);
    if (pageGranule !== -1n) {
      granule = Number(pageGranule);
    }
    offset = segmentTableEnd + bodyBytes;
  }
  if (offset > bytes.length) {
    throw new InvalidOggOpusError(
      `The last Ogg page is cut short: it ends at byte ${offset} of ${bytes.length}.`,
    );
  }

  return granule;
}

function startsWithAscii(bytes: Uint8Array, offset: number, text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (bytes[offset + index] !== text.charCodeAt(index)) {
      return false;
    }
  }

  return true;
}
