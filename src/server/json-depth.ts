import type { RequestHandler } from 'express';
import { Lexer, Source, TokenKind } from 'graphql';
import { ErrorCode } from '../common/errors';

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

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R]);

/**
 * Whether GraphQL text nests braces, parentheses and brackets deeper than `max`. graphql-js parses recursively, so
 * text nested a few thousand deep overflows its stack: this counts with the (iterative) lexer instead. Text the
 * lexer refuses is left for the parser to answer.
 */
export function queryNestsDeeperThan(text: unknown, max: number): boolean {
  if (typeof text !== 'string') return false;
  const lexer = new Lexer(new Source(text));
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPENING.has(token.kind) && ++depth > max) return true;
      if (CLOSING.has(token.kind)) depth -= 1;
    }
  } catch {
    return false;
  }
  return false;
}

/** Query texts already found shallow enough: a repeated query is not lexed again on every request. */
const shallowTexts = new Set<string>();
const MAX_REMEMBERED = 500;
const MAX_REMEMBERED_TEXT = 16_384;

function queryTooDeep(text: unknown): boolean {
  if (typeof text === 'string' && shallowTexts.has(text)) return false;
  if (queryNestsDeeperThan(text, MAX_JSON_DEPTH)) return true;
  if (typeof text === 'string' && text.length <= MAX_REMEMBERED_TEXT) {
    if (shallowTexts.size >= MAX_REMEMBERED) shallowTexts.clear();
    shallowTexts.add(text);
  }
  return false;
}

const queriesOf = (request: unknown): unknown[] =>
  (Array.isArray(request) ? request : [request]).map((r) => (r !== null && typeof r === 'object' ? (r as { query?: unknown }).query : undefined));

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

/**
 * Refuses a request body (or GET parameters) nested deeper than MAX_JSON_DEPTH, or a query whose text is, with
 * HTTP 400, before GraphQL runs.
 */
export const refuseDeepJson: RequestHandler = (req, res, next) => {
  const request: unknown = req.method === 'GET' ? jsonParameters(req.query) : req.body;
  const queries = req.method === 'GET' ? [(req.query as Record<string, unknown>).query] : queriesOf(req.body);
  if (nestsDeeperThan(request, MAX_JSON_DEPTH)) {
    return void res.status(400).json({
      errors: [{ message: `The request nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`, extensions: { code: ErrorCode.BAD_REQUEST } }],
    });
  }
  if (queries.some(queryTooDeep)) {
    return void res.status(400).json({
      errors: [
        { message: `The query nests braces, parentheses or brackets deeper than ${MAX_JSON_DEPTH} levels`, extensions: { code: ErrorCode.BAD_REQUEST } },
      ],
    });
  }
  next();
};
