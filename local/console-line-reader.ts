/**
 * Reads the console's input line by line with node:readline: with line editing, history and prompts on a terminal,
 * and plain lines one after another from a pipe. Lines that arrive while the console is busy wait their turn.
 */
import { createInterface } from 'node:readline';

/** The console's input; `next` resolves undefined at the end of input. */
export interface LineReader {
  /** Waits for the next line, showing `prompt` first on a terminal. */
  next(prompt: string): Promise<string | undefined>;
  close(): void;
}

/** Creates a reader of `input`; on a terminal (`terminal`) it edits lines and keeps a history of `historySize`. */
export function createLineReader(options: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  terminal: boolean;
  historySize?: number;
}): LineReader {
  const readline = createInterface({
    input: options.input,
    output: options.terminal ? options.output : undefined,
    terminal: options.terminal,
    historySize: options.historySize ?? 200,
  });
  const waiting: ((line: string | undefined) => void)[] = [];
  const queued: string[] = [];
  let ended = false;
  readline.on('line', (line) => {
    const resolve = waiting.shift();
    if (resolve) resolve(line);
    else queued.push(line);
  });
  readline.on('close', () => {
    ended = true;
    // Ctrl-D at a prompt leaves the cursor after it: what the console prints next starts on a line of its own.
    if (options.terminal && waiting.length > 0) options.output.write('\n');
    for (const resolve of waiting.splice(0)) resolve(undefined);
  });
  // Ctrl-C on a terminal ends the console like the end of input does, rather than killing it mid-request.
  readline.on('SIGINT', () => readline.close());
  return {
    next(prompt) {
      if (queued.length > 0) return Promise.resolve(queued.shift());
      if (ended) return Promise.resolve(undefined);
      if (options.terminal) {
        readline.setPrompt(prompt);
        readline.prompt();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => readline.close(),
  };
}
