import type { Writable } from 'node:stream';
import { writeChunks } from '../../common/write-chunks';
import { bundlePieces, type StixBundleParts } from './stix-bundle';

export { StreamClosed } from '../../common/write-chunks';

/** Pieces are gathered up to this size before a write: one write per object would be a system call per object. */
const CHUNK_CHARS = 64 * 1024;

/** Joins pieces into chunks of about `CHUNK_CHARS`. */
function* chunked(pieces: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Writes a bundle to `out` as `stixBundle`'s `json` would read, byte for byte: its head, then each object's text in id
 * order, then its tail. Each write waits for `out` to drain when it asks to, so only a chunk or so is ever held beyond
 * the objects' texts; the joined bundle is never made. `out` is not ended.
 */
export async function writeStixBundle(parts: StixBundleParts, out: Writable): Promise<void> {
  await writeChunks(chunked(bundlePieces(parts)), out);
}
