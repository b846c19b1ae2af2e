import type { Request, RequestHandler, Response } from 'express';

type HeaderValue = string | number | readonly string[];

/**
 * The headers a middleware sets (helmet's, configured without functions), recorded once at start and set on every
 * answer by one plain handler: the same headers, in the same order, without a dozen small middlewares per request.
 * Start fails if the middleware does not pass the request straight on, as a static one does.
 */
export function staticHeaders(middleware: RequestHandler): RequestHandler {
  const set: Array<[string, HeaderValue]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: HeaderValue) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let passed = false;
  let failed: unknown;
  void middleware({ headers: {} } as Request, recorder as unknown as Response, (error?: unknown) => {
    failed = error;
    passed = !error;
  });
  if (!passed) throw new Error('staticHeaders: the middleware did not pass the request on at once', { cause: failed });
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
