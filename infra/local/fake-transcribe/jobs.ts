/**
 * Transcription jobs of the fake Amazon Transcribe: validation of StartTranscriptionJob requests as the API
 * documents its constraints, detection of the media format, and the transcript JSON in Transcribe's output
 * format.
 */
import { isOggOpus } from '../../../lib/ai/transcribe/ogg-opus';
import { TranscribeApiError, validationError } from './aws-errors';

/** Media formats that StartTranscriptionJob accepts. */
export const MEDIA_FORMATS = ['amr', 'flac', 'm4a', 'mp3', 'mp4', 'ogg', 'wav', 'webm'] as const;

/** Job statuses of Amazon Transcribe. */
export type JobStatus = 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** The fields of a StartTranscriptionJob request that the fake reads. */
export interface StartJobRequest {
  TranscriptionJobName?: unknown;
  Media?: { MediaFileUri?: unknown };
  MediaFormat?: unknown;
  LanguageCode?: unknown;
  IdentifyLanguage?: unknown;
  IdentifyMultipleLanguages?: unknown;
  LanguageOptions?: unknown;
  OutputBucketName?: unknown;
  OutputKey?: unknown;
}

/** A validated StartTranscriptionJob request. */
export interface JobRequest {
  jobName: string;
  mediaFileUri: string;
  media: S3Location;
  mediaFormat?: string;
  languageCode?: string;
  identifyLanguage: boolean;
  languageOptions?: string[];
  output: S3Location;
}

/** A bucket and key. */
export interface S3Location {
  bucket: string;
  key: string;
}

const JOB_NAME = /^[0-9a-zA-Z._-]+$/;
const BUCKET_NAME = /^[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]$/;
const LANGUAGE_CODE = /^[a-z]{2,3}-[A-Z]{2}$/;

/**
 * Validates a StartTranscriptionJob request.
 * @throws {TranscribeApiError} BadRequestException for the first constraint the request breaks.
 */
export function validateStartRequest(request: StartJobRequest): JobRequest {
  const jobName = request.TranscriptionJobName;
  if (typeof jobName !== 'string' || !JOB_NAME.test(jobName) || jobName.length > 200) {
    throw validationError(
      'transcriptionJobName',
      jobName,
      'Member must satisfy regular expression pattern: ^[0-9a-zA-Z._-]+ and have length less than or equal to 200',
    );
  }
  const mediaFileUri = request.Media?.MediaFileUri;
  if (typeof mediaFileUri !== 'string' || mediaFileUri === '') {
    throw validationError('media.mediaFileUri', mediaFileUri, 'Member must not be null');
  }
  const media = parseMediaUri(mediaFileUri);
  const mediaFormat = request.MediaFormat;
  if (mediaFormat !== undefined && !(MEDIA_FORMATS as readonly unknown[]).includes(mediaFormat)) {
    throw validationError(
      'mediaFormat',
      mediaFormat,
      `Member must satisfy enum value set: [${MEDIA_FORMATS.join(', ')}]`,
    );
  }

  const languageSettings = [
    request.LanguageCode,
    request.IdentifyLanguage,
    request.IdentifyMultipleLanguages,
  ];
  if (languageSettings.filter((value) => value !== undefined && value !== false).length !== 1) {
    throw new TranscribeApiError(
      'BadRequestException',
      'Specify exactly one of LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages, and try your request again.',
    );
  }
  if (request.IdentifyMultipleLanguages === true) {
    throw new TranscribeApiError(
      'BadRequestException',
      'The fake Transcribe server supports LanguageCode and IdentifyLanguage only; use one of them.',
    );
  }
  const languageCode = request.LanguageCode;
  if (languageCode !== undefined && (typeof languageCode !== 'string' || !LANGUAGE_CODE.test(languageCode))) {
    throw validationError(
      'languageCode',
      languageCode,
      'Member must be a supported language code such as en-US',
    );
  }
  const languageOptions = validateLanguageOptions(request);

  const outputBucket = request.OutputBucketName;
  if (typeof outputBucket !== 'string' || !BUCKET_NAME.test(outputBucket)) {
    throw new TranscribeApiError(
      'BadRequestException',
      `OutputBucketName ${JSON.stringify(outputBucket)} is invalid; the fake Transcribe server writes ` +
        'transcripts only to a bucket that the request names.',
    );
  }

  return {
    jobName,
    mediaFileUri,
    media,
    mediaFormat: mediaFormat as string | undefined,
    languageCode: languageCode as string | undefined,
    identifyLanguage: request.IdentifyLanguage === true,
    languageOptions,
    output: { bucket: outputBucket, key: outputKey(request.OutputKey, jobName) },
  };
}

function validateLanguageOptions(request: StartJobRequest): string[] | undefined {
  const options = request.LanguageOptions;
  if (options === undefined) {
    return undefined;
  }
  if (request.IdentifyLanguage !== true) {
    throw new TranscribeApiError(
      'BadRequestException',
      'LanguageOptions requires IdentifyLanguage set to true.',
    );
  }
  if (
    !Array.isArray(options) ||
    options.length < 2 ||
    !options.every((code) => LANGUAGE_CODE.test(String(code)))
  ) {
    throw validationError(
      'languageOptions',
      JSON.stringify(options),
      'Member must have length greater than or equal to 2',
    );
  }

  return options as string[];
}

/**
 * Returns the transcript's key: `OutputKey` as given, `<OutputKey><job>.json` for a key that ends in `/`,
 * and `<job>.json` without one.
 */
function outputKey(key: unknown, jobName: string): string {
  if (key === undefined) {
    return `${jobName}.json`;
  }
  if (typeof key !== 'string' || key === '' || key.length > 1024) {
    throw validationError('outputKey', key, 'Member must have length between 1 and 1024');
  }

  return key.endsWith('/') ? `${key}${jobName}.json` : key;
}

/** Parses `s3://bucket/key` and the path-style `https://s3.<region>.amazonaws.com/bucket/key`. */
function parseMediaUri(uri: string): S3Location {
  const match =
    /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? /^https:\/\/s3[.-][^/]*amazonaws\.com\/([^/]+)\/(.+)$/.exec(uri);
  if (match === null) {
    throw validationError(
      'media.mediaFileUri',
      uri,
      'Member must satisfy regular expression pattern: (s3://|http(s*)://).+',
    );
  }

  return { bucket: match[1]!, key: decodeURIComponent(match[2]!) };
}

/** Returns the media format that the bytes' signature shows, or undefined for an unknown signature. */
export function detectMediaFormat(bytes: Uint8Array): string | undefined {
  const ascii = (start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');
  if (isOggOpus(bytes)) {
    return 'ogg';
  }
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') {
    return 'wav';
  }
  if (ascii(0, 4) === 'fLaC') {
    return 'flac';
  }
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) {
    return 'mp3';
  }
  if (ascii(4, 8) === 'ftyp') {
    return ascii(8, 11) === 'M4A' ? 'm4a' : 'mp4';
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return 'webm';
  }
  if (ascii(0, 5) === '#!AMR') {
    return 'amr';
  }

  return undefined;
}

/** Returns whether media declared as `declared` may contain bytes of the `detected` format. */
export function formatsMatch(declared: string | undefined, detected: string | undefined): boolean {
  if (detected === undefined) {
    return false;
  }
  if (declared === undefined || declared === detected) {
    return true;
  }
  // M4A is an MP4 container, and encoders label it either way.
  return ['m4a', 'mp4'].includes(declared) && ['m4a', 'mp4'].includes(detected);
}

/**
 * Builds the transcript JSON that Transcribe writes to the output bucket: `results.transcripts`, one
 * `pronunciation` item per word with times spread evenly over the audio, one audio segment, and the
 * language fields of a job that identified its language.
 */
export function transcriptDocument(
  job: JobRequest,
  text: string,
  durationSeconds: number,
  languageCode: string,
): Record<string, unknown> {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const secondsPerWord = words.length === 0 ? 0 : durationSeconds / words.length;
  const items = words.map((word, index) => ({
    id: index,
    type: 'pronunciation',
    alternatives: [{ confidence: '0.99', content: word }],
    start_time: (index * secondsPerWord).toFixed(3),
    end_time: ((index + 1) * secondsPerWord).toFixed(3),
  }));

  return {
    jobName: job.jobName,
    accountId: '000000000000',
    status: 'COMPLETED',
    results: {
      transcripts: [{ transcript: text }],
      items,
      audio_segments: [
        {
          id: 0,
          transcript: text,
          start_time: '0.000',
          end_time: durationSeconds.toFixed(3),
          items: items.map((item) => item.id),
        },
      ],
      ...(job.identifyLanguage
        ? { language_code: languageCode, language_identification: [{ code: languageCode, score: '0.99' }] }
        : {}),
    },
  };
}
