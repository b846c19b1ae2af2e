import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Handlers run in turn as one Express layer: the router matches the path and rewrites the URL once, not once per
 * handler (with ten handlers under /graphql, that was a tenth of the work of a small request). As in the router, an
 * error passed to `next`, thrown, or a rejected promise goes on to the error handlers.
 */
export function chain(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown) => {
      if (error || index === handlers.length) return done(error);
      const handler = handlers[index++];
      try {
        const result: unknown = handler(req, res, next);
        if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
          (result as Promise<unknown>).then(undefined, (rejected: unknown) => next(rejected || new Error('Rejected promise')));
        }
      } catch (thrown) {
        next(thrown);
      }
    };
    next();
  };
}

/** `app.use(path, ...handlers)`, as one layer. */
export const useAsOneLayer = (app: Express, path: string, ...handlers: RequestHandler[]) => app.use(path, chain(...handlers));
