import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/** Smaller answers are not worth the bytes of a compression header and a deflate stream. */
const THRESHOLD_BYTES = 1024;

/**
 * Streams that must reach the client as each part is written: a compressor holds its output until it has enough.
 * None is served today; subscriptions over SSE or incremental delivery would be.
 */
const STREAMED = /^(text\/event-stream|multipart\/mixed)\b/i;

const filter = (req: Request, res: Response) => !STREAMED.test(String(res.getHeader('Content-Type') ?? '')) && compression.filter(req, res);

/**
 * gzip or br (the client's preference; br when it accepts both equally) for JSON and HTML answers above the
 * threshold. A response that is already encoded (the GraphiQL page, compressed once) passes as it is.
 */
const compress = compression({ threshold: THRESHOLD_BYTES, filter });

/** A client that accepts no encoding gets none: its requests skip the compressor's hooks altogether. */
export const compressResponses: RequestHandler = (req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next());
