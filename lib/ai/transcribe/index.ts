/** Speech-to-text of voice notes behind one {@link Transcriber} interface: OpenAI Whisper or Amazon Transcribe. */

export {
  AwsBatchTranscriber,
  type AwsBatchTranscriberOptions,
  DEFAULT_TRANSCRIBE_DEADLINE_MS,
  TRANSCRIBE_DEPENDENCY,
  TRANSCRIBE_S3_DEPENDENCY,
  type TranscribeLanguage,
} from './aws-transcribe';
export {
  createTranscriber,
  type TranscriberDependencies,
  type WhisperConnection,
  WhisperNotConfiguredError,
} from './create-transcriber';
export {
  AudioTooLargeError,
  formatMegabytes,
  TranscriptionFailedError,
  type TranscriptionFailureDetails,
  type TranscriptionProvider,
  TranscriptionTimeoutError,
  UnsupportedAudioError,
} from './errors';
export { InvalidOggOpusError, isOggOpus, type OggOpusInfo, readOggOpusInfo } from './ogg-opus';
export {
  AUDIO_SIZE_LIMITS,
  type AudioInput,
  type AudioSizeLimit,
  assertAudioSize,
  audioDurationSeconds,
  audioExtension,
  audioFileName,
  TELEGRAM_DOWNLOAD_LIMIT_BYTES,
  type TranscribeOptions,
  type Transcriber,
  type Transcript,
  WHISPER_MAX_AUDIO_BYTES,
} from './transcriber';
export { WhisperTranscriber, type WhisperTranscriberOptions } from './whisper';
