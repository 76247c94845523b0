import { USER_NOTIFICATION_CHANNELS } from '../../../lib/domain/user';
import { type Action, decodeAction, encodeAction } from '../../../lib/processor/actions';

/** Telegram's limit on `callback_data`, in bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;

const NOTIFICATION_ACTIONS: Action[] = [
  ...(['weekly', ...USER_NOTIFICATION_CHANNELS] as const).flatMap((setting): Action[] => [
    { type: 'set-notification', setting, enabled: true },
    { type: 'set-notification', setting, enabled: false },
  ]),
  { type: 'notifications-off' },
];

describe('notification button actions', () => {
  it.each(NOTIFICATION_ACTIONS.map((action) => [encodeAction(action), action] as const))(
    'round-trips %s',
    (data, action) => {
      expect(decodeAction(data)).toEqual(action);
    },
  );

  it.each(NOTIFICATION_ACTIONS.map((action) => [encodeAction(action)] as const))(
    'fits %s in 64 bytes',
    (data) => {
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    },
  );

  it('encodes the state to set', () => {
    expect(encodeAction({ type: 'set-notification', setting: 'email', enabled: true })).toBe('ntf:email:on');
    expect(encodeAction({ type: 'set-notification', setting: 'weekly', enabled: false })).toBe(
      'ntf:weekly:off',
    );
    expect(encodeAction({ type: 'notifications-off' })).toBe('ntf:all:off');
  });

  it.each([
    ['unknown channel', 'ntf:fax:on'],
    ['toggle without state', 'ntf:email'],
    ['unknown state', 'ntf:email:maybe'],
    ['everything on', 'ntf:all:on'],
    ['extra part', 'ntf:sms:on:1'],
    ['upper-case channel', 'ntf:EMAIL:on'],
  ])('rejects %s', (_name, data) => {
    expect(decodeAction(data)).toBeUndefined();
  });
});
