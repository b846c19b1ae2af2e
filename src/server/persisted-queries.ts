import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { parse, visit } from 'graphql';
import { ErrorCode } from '../common/errors';

/** Apollo's persisted query manifest: the operations a deployment accepts, each under the SHA-256 of its text. */
export interface OperationManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: Array<{ id: string; name?: string; type?: string; body: string }>;
}

export const queryHash = (body: string) => createHash('sha256').update(body).digest('hex');

export function manifestOf(operations: Array<{ name: string; body: string }>): OperationManifest {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map(({ name, body }) => ({ id: queryHash(body), name, type: 'query', body })),
  };
}

/** The allow-list in a manifest file, checked: every id must be the hash of its body. */
export function loadAllowList(file: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as OperationManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
    throw new Error(`${file}: not an Apollo persisted query manifest`);
  }
  const allowed = new Map<string, string>();
  for (const op of manifest.operations) {
    if (queryHash(op.body) !== op.id) throw new Error(`${file}: operation ${op.name ?? op.id} has an id that is not the SHA-256 of its body`);
    allowed.set(op.id, op.body);
  }
  return allowed;
}

/**
 * The persisted query store of an allow-listed deployment: it answers with the registered operations and ignores
 * registrations, so clients can send an operation's hash alone, and nothing new is ever added.
 */
export class AllowListStore {
  constructor(private readonly allowed: ReadonlyMap<string, string>) {}
  async get(key: string) {
    return this.allowed.get(key.replace(/^apq:/, ''));
  }
  async set() {}
  async delete() {
    return false;
  }
}

/** The hash a GraphQL request names: that of its persisted query extension, else of its query text. */
function requestedHash(request: unknown): string | undefined {
  if (!request || typeof request !== 'object') return undefined;
  const { query, extensions } = request as { query?: unknown; extensions?: unknown };
  let ext = extensions;
  if (typeof ext === 'string') {
    try {
      ext = JSON.parse(ext);
    } catch {
      return undefined;
    }
  }
  const hash = (ext as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (typeof hash === 'string') return hash;
  return typeof query === 'string' ? queryHash(query) : undefined;
}

/**
 * Refuses any operation that is not registered, sent as text or as a hash, with OPERATION_NOT_ALLOWED: before Apollo
 * parses or validates it, so an unregistered query learns nothing about the schema.
 */
export const allowListGuard =
  (allowed: ReadonlyMap<string, string>): RequestHandler =>
  (req, res, next) => {
    const requests = req.method === 'GET' ? [req.query] : Array.isArray(req.body) ? req.body : [req.body];
    if (requests.every((r: unknown) => allowed.has(requestedHash(r) ?? ''))) return next();
    res
      .status(403)
      .json({ errors: [{ message: 'This deployment accepts registered operations only.', extensions: { code: ErrorCode.OPERATION_NOT_ALLOWED } }] });
  };

/** Whether a registered operation asks for `field` (a root field such as `stixBundle`), so a route serving it may run. */
export function allowsField(allowed: ReadonlyMap<string, string>, field: string): boolean {
  return [...allowed.values()].some((body) => {
    let found = false;
    visit(parse(body), {
      Field: (node) => {
        if (node.name.value === field) found = true;
      },
    });
    return found;
  });
}

/** With an allow-list, a route that serves what `field` answers runs only when a registered operation asks for it. */
export const allowListFieldGuard = (allowed: ReadonlyMap<string, string>, field: string): RequestHandler => {
  const allowedHere = allowsField(allowed, field);
  return (_req, res, next) => {
    if (allowedHere) return next();
    res
      .status(403)
      .json({ errors: [{ message: 'This deployment accepts registered operations only.', extensions: { code: ErrorCode.OPERATION_NOT_ALLOWED } }] });
  };
};
