import type { Writable } from 'node:stream';

/** The writer went away (the client hung up, the pipe closed) before everything was written. */
export class StreamClosed extends Error {}

/**
 * Writes each chunk to `out` in turn, waiting for `out` to drain when it asks to, so that only a chunk or so is held
 * beyond what the chunks are made from. `out` is not ended.
 */
export async function writeChunks(chunks: Iterable<string>, out: Writable): Promise<void> {
  // One listener each for the whole text: Express's compression hands 'drain' listeners to its gzip stream and
  // cannot take them off again, so a listener per wait would pile up.
  let wake: (() => void) | undefined;
  let failed: Error | undefined;
  let closed = false;
  const onWake = () => wake?.();
  out.on('drain', onWake);
  out.on('close', () => {
    closed = true;
    onWake();
  });
  out.on('error', (error: Error) => {
    failed = error;
    onWake();
  });
  const check = () => {
    if (failed) throw failed;
    if (closed || out.destroyed) throw new StreamClosed('the output closed before everything was written');
  };
  for (const chunk of chunks) {
    check();
    if (out.write(chunk)) continue;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    check();
  }
}
