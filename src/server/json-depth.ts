import type { RequestHandler } from 'express';

/**
 * Deepest nesting of arrays and objects a request may have, the request itself being the first level. GraphQL
 * inputs need a handful; much deeper only serves to overflow the call stack of whatever walks the value.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests arrays and objects deeper than `max`, walked with a stack of its own, not the call stack. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/** A GET request's JSON parameters, parsed; text that is not JSON is left for Apollo to refuse. */
function jsonParameters(query: Record<string, unknown>): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const name of ['variables', 'extensions']) {
    const text = query[name];
    if (typeof text !== 'string') continue;
    try {
      parsed[name] = JSON.parse(text);
    } catch {
      // not JSON: Apollo answers it
    }
  }
  return parsed;
}

/** Refuses a request body (or GET parameters) nested deeper than MAX_JSON_DEPTH with HTTP 400, before GraphQL runs. */
export const refuseDeepJson: RequestHandler = (req, res, next) => {
  const request = req.method === 'GET' ? jsonParameters(req.query as Record<string, unknown>) : req.body;
  if (!nestsDeeperThan(request, MAX_JSON_DEPTH)) return next();
  res.status(400).json({
    errors: [{ message: `The request nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`, extensions: { code: 'BAD_REQUEST' } }],
  });
};
