import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isOggOpus, readOggOpusInfo } from '../../lib/ai/transcribe/ogg-opus';
import { parseMessage } from '../../lib/parsing/parse-message';
import { loadVoiceFixtures } from '../fixtures/voice/voice-fixtures';

const FIXTURES = loadVoiceFixtures();
const FIXTURE_DIRECTORY = path.resolve(__dirname, '../fixtures/voice');
const CONTEXT = {
  referenceTime: new Date('2026-03-18T12:00:00Z'),
  timeZone: 'UTC',
  homeCurrency: 'USD',
};

describe('voice fixtures', () => {
  it('lists every .ogg file in the manifest', () => {
    const files = readdirSync(FIXTURE_DIRECTORY).filter((file) => file.endsWith('.ogg'));

    expect(FIXTURES.map((fixture) => fixture.file).sort()).toEqual(files.sort());
  });

  it.each(FIXTURES.map((fixture) => [fixture.file, fixture] as const))(
    '%s matches its manifest entry',
    (_, fixture) => {
      const info = readOggOpusInfo(fixture.bytes);

      expect(createHash('sha256').update(fixture.bytes).digest('hex')).toBe(fixture.sha256);
      expect(isOggOpus(fixture.bytes)).toBe(true);
      expect(info.channels).toBe(1);
      expect(info.inputSampleRate).toBe(16_000);
      expect(info.durationSeconds).toBeCloseTo(fixture.durationSeconds, 3);
      expect(fixture.durationSeconds).toBeGreaterThan(1);
      expect(fixture.durationSeconds).toBeLessThan(5);
    },
  );

  it.each(FIXTURES.map((fixture) => [fixture.file, fixture] as const))(
    '%s is a small voice note',
    (_, fixture) => {
      const sizeBytes = statSync(path.join(FIXTURE_DIRECTORY, fixture.file)).size;
      const kilobitsPerSecond = (sizeBytes * 8) / 1_000 / fixture.durationSeconds;

      expect(sizeBytes).toBeLessThan(30 * 1024);
      expect(kilobitsPerSecond).toBeGreaterThan(16);
      expect(kilobitsPerSecond).toBeLessThan(32);
    },
  );

  it.each(FIXTURES.map((fixture) => [fixture.file, fixture] as const))(
    '%s transcript parses into its transaction',
    (_, fixture) => {
      const result = parseMessage(fixture.text, CONTEXT);

      expect(result.kind).toBe(fixture.expected.kind);
      expect(result.amount).toBe(fixture.expected.amount);
      expect(result.currency).toBe(fixture.expected.currency);
    },
  );

  it('amounts spelled as words do not parse, so transcripts keep digits', () => {
    const result = parseMessage('spent twelve fifty on lunch at Subway', CONTEXT);

    expect(result.amount).toBeNull();
  });
});
