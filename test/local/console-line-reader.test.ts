import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { createLineReader } from '../../local/console-line-reader';

/** Collects what is written to a stream. */
function recorded(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

describe('createLineReader', () => {
  it('ends the prompt line when a terminal input ends while a prompt waits', async () => {
    // Prepare
    const input = new PassThrough();
    const output = recorded();
    const reader = createLineReader({ input, output: output.stream, terminal: true });

    // Act: Ctrl-D at a prompt ends the input.
    const pending = reader.next('Name: ');
    input.end();
    const line = await pending;

    // Assess: what the console prints next starts on a line of its own.
    expect(line).toBeUndefined();
    expect(stripVTControlCharacters(output.text())).toMatch(/Name: \n$/);
  });

  it('resolves piped lines in order and then undefined when the input ends', async () => {
    // Prepare
    const input = new PassThrough();
    const output = recorded();
    const reader = createLineReader({ input, output: output.stream, terminal: false });

    // Act
    input.end('repos\n\nping\n');
    const lines = [await reader.next('> '), await reader.next('> '), await reader.next('> '), await reader.next('> ')];

    // Assess
    expect(lines).toEqual(['repos', '', 'ping', undefined]);
    expect(output.text()).toBe('');
  });
});
