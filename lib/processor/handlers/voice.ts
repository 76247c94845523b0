import {
  AudioTooLargeError,
  formatMegabytes,
  UnsupportedAudioError,
  WHISPER_MAX_AUDIO_BYTES,
} from '../../ai/transcribe';
import {
  type ChatChannel,
  type MediaReference,
  MediaTooLargeError,
  MediaUnavailableError,
} from '../../channels/channel';
import { en } from '../../messages/en';
import { budgetAllows, isPermanentFailure, meterUsage } from '../ai/understand-text';
import type { MediaEvent } from '../chat-event';
import type { HandlerContext } from './context';
import { recordFromText } from './record';

/** The download side of a channel that can fetch what users send. */
export interface MediaDownloader {
  downloadMedia: NonNullable<ChatChannel['downloadMedia']>;
}

/**
 * Returns the reply for a download that cannot succeed (a file above a limit, one the channel no longer serves),
 * or `undefined` when retrying may help.
 */
export function downloadFailureReply(error: unknown): string | undefined {
  if (error instanceof MediaTooLargeError || error instanceof AudioTooLargeError) {
    return en.fileTooLarge(formatMegabytes(error.sizeBytes, 'up'), formatMegabytes(error.limitBytes));
  }

  return error instanceof MediaUnavailableError ? en.mediaUnavailable() : undefined;
}

/**
 * Turns a voice note or audio file into a transaction: "🎤 Processing your voice message…" at once, then
 * the file is downloaded, transcribed and read like a typed message, and the first reply replaces the
 * processing message. A file above the channel's or the transcriber's limit, or one that cannot be read,
 * gets a reply saying so. A transcription that may succeed later fails the record, so SQS retries it.
 */
export async function handleVoice(
  event: MediaEvent,
  media: MediaReference,
  channel: MediaDownloader,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const ai = dependencies.ai!;
  const placeholder = await reply.send(event.chatId, { text: en.processingVoice() });
  const target = { chatId: event.chatId, messageId: placeholder.messageId };
  if (!(await budgetAllows('transcribe', ai.transcribeEstimateUsd, user, dependencies))) {
    await reply.replace(target, { text: en.voiceBudgetSpent() });
    return;
  }

  let transcript: Awaited<ReturnType<NonNullable<typeof ai.transcriber>['transcribe']>>;
  try {
    const audio = await channel.downloadMedia(media, WHISPER_MAX_AUDIO_BYTES);
    transcript = await ai.transcriber!.transcribe(
      { bytes: audio.bytes, mimeType: audio.mimeType, fileName: media.fileName },
      { languageHint: event.sender.languageCode },
    );
  } catch (error) {
    if (
      downloadFailureReply(error) === undefined &&
      !(error instanceof UnsupportedAudioError) &&
      isPermanentFailure(error)
    ) {
      // A rejected key or request: retrying the record cannot help, so the user gets a reply at once.
      ai.meter.fallback('transcribe', 'error');
      dependencies.logger.warn('Voice message not transcribed: the provider rejected the request', {
        eventKey: event.eventKey,
        error: error instanceof Error ? error.name : 'unknown',
      });
      await reply.replace(target, { text: en.voiceUnavailable() });
      return;
    }
    const tooLarge = downloadFailureReply(error);
    if (tooLarge !== undefined || error instanceof UnsupportedAudioError) {
      dependencies.logger.info('Voice message not transcribed', {
        eventKey: event.eventKey,
        reason: error instanceof Error ? error.name : 'unknown',
      });
      await reply.replace(target, { text: tooLarge ?? en.audioNotReadable() });
      return;
    }
    throw error;
  }

  await meterUsage(transcript.usage, user, dependencies);
  dependencies.logger.info('Transcribed voice message', {
    eventKey: event.eventKey,
    provider: transcript.usage.provider,
    durationSeconds: transcript.durationSeconds,
    transcriptLength: transcript.text.length,
  });
  if (transcript.text.trim() === '') {
    await reply.replace(target, { text: en.voiceEmpty() });
    return;
  }

  await recordFromText(event, transcript.text, context, false, {
    target,
    heading: en.voiceHeard(transcript.text),
  });
}
