import type { Writable } from 'node:stream';
import { BUNDLE_SEPARATOR, bundleHead, bundleTail, type StixBundleParts } from './stix-bundle';

/** Pieces are gathered up to this size before a write: one write per object would be a system call per object. */
const CHUNK_CHARS = 64 * 1024;

/** The writer went away (the client hung up, the pipe closed) before the bundle was written. */
export class StreamClosed extends Error {}

/**
 * Writes a bundle to `out` as `stixBundle`'s `json` would read, byte for byte: its head, then each object's text in id
 * order, then its tail. Each write waits for `out` to drain when it asks to, so only a chunk or so is ever held beyond
 * the objects' texts; the joined bundle is never made. `out` is not ended.
 */
export async function writeStixBundle(parts: StixBundleParts, out: Writable): Promise<void> {
  // One listener each for the whole bundle: Express's compression hands 'drain' listeners to its gzip stream and
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
    if (closed || out.destroyed) throw new StreamClosed('the output closed before the bundle was written');
  };
  const write = async (text: string) => {
    check();
    if (out.write(text)) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    check();
  };
  let chunk = bundleHead(parts);
  for (let i = 0; i < parts.texts.length; i++) {
    chunk += i ? `${BUNDLE_SEPARATOR}${parts.texts[i]}` : parts.texts[i];
    if (chunk.length >= CHUNK_CHARS) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk + bundleTail(parts));
}
