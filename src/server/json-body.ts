import express, { type RequestHandler } from 'express';
import { currentRequest, runInRequestScope } from '../common/request-scope';

/** The types body-parser would read as UTF-8 JSON with nothing to convert. */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
/** body-parser's strict mode: a JSON body is an object or an array. */
const OBJECT_OR_ARRAY = /^[ \t\n\r]*[{[]/;

const badBody = (status: number, type: string, message: string) => Object.assign(new Error(message), { status, type, expose: true });

/**
 * express.json({ limit }), with the common request read by a few lines instead of body-parser's general machinery (a
 * quarter of the work of a small request): a POST of plain UTF-8 JSON with its Content-Length, within the limit and
 * not compressed. Anything else (another charset, Content-Encoding, chunked, too large) goes to express.json itself.
 * Failures carry body-parser's status and type, so jsonBodyErrors answers them alike.
 */
export function jsonBody(limit: number): RequestHandler {
  const general = express.json({ limit });
  return (req, res, next) => {
    const { headers } = req;
    const length = Number(headers['content-length']);
    const type = headers['content-type'];
    const plain =
      req.method === 'POST' &&
      length > 0 &&
      length <= limit &&
      type !== undefined &&
      PLAIN_JSON.has(type.toLowerCase()) &&
      headers['content-encoding'] === undefined &&
      headers['transfer-encoding'] === undefined &&
      !req.readableEnded;
    if (!plain) return general(req, res, next);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    // Back in the request's scope (the stream's events come from the socket's): the only async context a request has
    // this early. Binding a generic AsyncResource instead (as raw-body does) cost a tenth of a small request.
    const scope = currentRequest();
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      const go = () => next(error ?? parsed());
      if (scope) runInRequestScope(scope, go);
      else go();
    };
    const parsed = (): Error | undefined => {
      if (received !== length) return badBody(400, 'request.size.invalid', 'request size did not match content length');
      let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark, which body-parser's decoder drops too
      if (!OBJECT_OR_ARRAY.test(text)) return badBody(400, 'entity.parse.failed', 'Unexpected token');
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (error) {
        return badBody(400, 'entity.parse.failed', (error as Error).message);
      }
      return undefined;
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => finish());
    // A client that goes away mid-body: 'error' (ECONNRESET, "aborted") follows.
    req.on('error', () => finish(badBody(400, 'request.aborted', 'request aborted')));
  };
}
