import { readChatInput } from '../../../infra/local/chat-input';

describe('readChatInput', () => {
  it('reads /album with several files as one album', () => {
    expect(readChatInput('/album a.png  b.png c.jpg')).toEqual({
      kind: 'album',
      files: ['a.png', 'b.png', 'c.jpg'],
    });
  });

  it.each([['/album'], ['/album a.png']])('requests two or more files after %s', (line) => {
    expect(readChatInput(line)).toEqual({
      kind: 'usage',
      message: expect.stringContaining('/album needs two or more files'),
    });
  });

  it('keeps a /photo path with spaces whole', () => {
    expect(readChatInput('/photo my receipts/lunch.png')).toEqual({
      kind: 'photo',
      file: 'my receipts/lunch.png',
    });
  });
});
