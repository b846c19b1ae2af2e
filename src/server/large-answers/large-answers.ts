import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { currentRequest, requestLog } from '../../common/request-scope';
import { StreamClosed, writeChunks } from '../../common/write-chunks';

/** A string value given as its pieces, in order: joined, they are the value. Called once per pass over it. */
export type Pieces = () => Iterable<string>;

/** Escaped text is written in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * String values of one HTTP request's answer kept out of the GraphQL result (a STIX bundle is tens of megabytes):
 * the field answers a placeholder, unique to the request, and the value is written in its place when the body is
 * sent, escaped piece by piece, so that neither the value joined nor the body holding it is ever one string. Only
 * HTTP requests have one (Context.largeAnswers); anywhere else, fields answer their values.
 */
export class LargeAnswers {
  // Random: no text a client or the data can hold passes for a placeholder.
  private readonly nonce = randomUUID();
  readonly values: Pieces[] = [];

  /** The placeholder to answer instead of the value. */
  add(pieces: Pieces): string {
    this.values.push(pieces);
    return `\u0000large:${this.nonce}:${this.values.length - 1}`;
  }

  /** How a placeholder begins in the JSON body (graphql-js writes the NUL as \u0000). */
  get marker(): string {
    return `"\\u0000large:${this.nonce}:`;
  }
}

/** The body cut at its placeholders: text to send as it is, and the values in their places. */
type Segment = string | Pieces;

function segmentsOf(body: string, answers: LargeAnswers): Segment[] | undefined {
  const marker = answers.marker;
  const segments: Segment[] = [];
  let from = 0;
  for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, from)) {
    const end = body.indexOf('"', at + marker.length);
    const index = end < 0 ? '' : body.slice(at + marker.length, end);
    const value = /^\d+$/.test(index) ? answers.values[Number(index)] : undefined;
    if (!value) throw new Error('a large answer placeholder names no value');
    segments.push(body.slice(from, at), value);
    from = end + 1;
  }
  if (!segments.length) return undefined;
  segments.push(body.slice(from));
  return segments;
}

/** The text between a JSON string's quotes, as JSON.stringify writes it. */
const escaped = (text: string) => JSON.stringify(text).slice(1, -1);

/** A value as a JSON string literal, in chunks: the same text as JSON.stringify(value), never whole. */
function* literal(pieces: Pieces): Generator<string> {
  yield '"';
  let chunk = '';
  for (const piece of pieces()) {
    chunk += piece;
    if (chunk.length < CHUNK_CHARS) continue;
    // A surrogate pair is never cut: JSON.stringify would write each half alone as an escape.
    const last = chunk.charCodeAt(chunk.length - 1);
    const keep = last >= 0xd800 && last <= 0xdbff ? 1 : 0;
    yield escaped(chunk.slice(0, chunk.length - keep));
    chunk = chunk.slice(chunk.length - keep);
  }
  yield `${escaped(chunk)}"`;
}

function* chunksOf(segments: Segment[]): Generator<string> {
  for (const segment of segments) {
    if (typeof segment === 'string') yield segment;
    else yield* literal(segment);
  }
}

function byteLengthOf(segments: Segment[]): number {
  let length = 0;
  for (const chunk of chunksOf(segments)) length += Buffer.byteLength(chunk);
  return length;
}

/**
 * Whether Express's send would write nothing but the body and its Content-Length for this response: no ETag, no
 * freshness check, a body to write, the charset already in the Content-Type (as Apollo sets it). Otherwise the body
 * is joined and sent by Express, as any other.
 */
function plainSend(req: Request, res: Response): boolean {
  const type = res.getHeader('Content-Type');
  return (
    req.method !== 'HEAD' &&
    ![204, 205, 304].includes(res.statusCode) &&
    typeof type === 'string' &&
    /;\s*charset=utf-8$/.test(type) &&
    typeof res.app.get('etag fn') !== 'function' &&
    !res.getHeader('ETag') &&
    !res.getHeader('Last-Modified') &&
    !res.getHeader('Transfer-Encoding')
  );
}

/**
 * Before Apollo, after the response cache and the fast path: gives the request its LargeAnswers and writes the values
 * in place of their placeholders when the body is sent. An answer of up to `joinUpTo` bytes (what the response cache
 * may keep) is joined and sent on through the cache, which then keeps the full text; a larger one is written here, in
 * chunks, with its Content-Length (the same bytes and headers as Express would send), and no cache sees it.
 */
export function largeAnswers(joinUpTo: number): RequestHandler {
  return (req, res, next) => {
    const answers = new LargeAnswers();
    res.locals.largeAnswers = answers;
    const send = res.send.bind(res);
    res.send = (body: unknown) => {
      res.send = send;
      const segments = typeof body === 'string' && answers.values.length ? segmentsOf(body, answers) : undefined;
      if (!segments) return send(body);
      const length = byteLengthOf(segments);
      if (length <= joinUpTo || currentRequest()?.compiledTexts || !plainSend(req, res)) return send([...chunksOf(segments)].join(''));
      res.setHeader('Content-Length', length);
      writeChunks(chunksOf(segments), res).then(
        () => res.end(),
        (error: unknown) => {
          if (error instanceof StreamClosed) return;
          // The body has begun: a failure can only cut it short.
          requestLog().error({ err: error }, 'large answer cut short');
          res.destroy();
        },
      );
      return res;
    };
    next();
  };
}
