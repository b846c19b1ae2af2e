import { createHash } from 'node:crypto';
import {
  Kind,
  OperationTypeNode,
  parse,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** A query the cache may answer: its document printed without comments and spacing, and the operation's name. */
export interface CachedOperation {
  document: string;
  name: string | null;
  /** False when every root field is a meta-field (`__typename`, `__schema`, `__type`): the answer reads no row. */
  readsData: boolean;
  /** The digest of the document and the name, computed once: part of every key of the operation's answers. */
  digest: string;
}

export interface GraphQLBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

const MAX_REMEMBERED = 2_000;
/** Longer texts are left to Apollo, uncached: remembered, 2,000 of the largest bodies would hold gigabytes. */
const MAX_TEXT = 32_768;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Which request bodies are cacheable queries, remembered by their text (and by their persisted-query hash) so a
 * repeated request is not parsed again. Anything unusual (a mutation, several operations without a name, a document
 * that does not parse, extensions other than a persisted query) is left to Apollo, uncached.
 */
export class Operations {
  private byText = new Map<string, CachedOperation | null>();
  /** The text of each persisted-query hash seen with it: the operation is then chosen by the request's name, as for text. */
  private byHash = new Map<string, string>();

  constructor(private readonly maxTokens: number) {}

  of(body: GraphQLBody): CachedOperation | undefined {
    const { operationName } = body;
    if (operationName != null && typeof operationName !== 'string') return undefined;
    const hash = persistedHash(body.extensions);
    if (hash === null) return undefined;
    let query = body.query;
    if (query === undefined) query = hash ? this.byHash.get(hash) : undefined;
    if (typeof query !== 'string' || query.length > MAX_TEXT) return undefined;
    // A hash is only ever taken for the text it is the digest of; a text sent with another's hash is Apollo's error.
    if (hash && this.byHash.get(hash) !== query) {
      if (sha256(query) !== hash) return undefined;
      if (this.byHash.size >= MAX_REMEMBERED) this.byHash.clear();
      this.byHash.set(hash, query);
    }
    // As JSON: no name and text can pass for another pair.
    const key = JSON.stringify([operationName ?? null, query]);
    let known = this.byText.get(key);
    if (known === undefined) {
      known = this.parsed(query, operationName ?? null);
      if (this.byText.size >= MAX_REMEMBERED) this.byText.clear();
      this.byText.set(key, known);
    }
    return known ?? undefined;
  }

  private parsed(query: string, operationName: string | null): CachedOperation | null {
    try {
      const document = parse(query, { maxTokens: this.maxTokens });
      const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      // An empty name is a name no operation has (Apollo refuses it), not "the only one".
      const chosen = operationName !== null ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
      if (!chosen || chosen.operation !== OperationTypeNode.QUERY) return null;
      const printed = print(document);
      const name = chosen.name?.value ?? null;
      return { document: printed, name, readsData: readsData(document, chosen.selectionSet), digest: entryKey([printed, name]) };
    } catch {
      return null;
    }
  }
}

const META_FIELDS = new Set(['__typename', '__schema', '__type']);

/**
 * Whether a selection at the root asks for a field other than a meta-field, through fragments too. The meta-fields
 * answer from the schema alone, which the cache's fingerprint covers: such an answer depends on no data version.
 */
function readsData(document: DocumentNode, root: SelectionSetNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const pending = [root];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!META_FIELDS.has(selection.name.value)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        pending.push(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        // A spread of no fragment is Apollo's error to answer (never kept); counted as data here to stay on the safe side.
        if (!fragment) return true;
        pending.push(fragment.selectionSet);
      }
    }
  }
  return false;
}

/** The persisted-query hash of the extensions: undefined without one, null for extensions the cache does not know. */
function persistedHash(extensions: unknown): string | undefined | null {
  if (extensions == null) return undefined;
  if (typeof extensions !== 'object' || Array.isArray(extensions)) return null;
  const { persistedQuery, ...others } = extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } };
  if (Object.keys(others).length > 0) return null;
  if (persistedQuery === undefined) return undefined;
  // As Apollo reads it: version 1 only, and the hash as sent (an upper-case digest matches no text).
  if (persistedQuery?.version !== 1) return null;
  return typeof persistedQuery.sha256Hash === 'string' ? persistedQuery.sha256Hash : null;
}

/** The entry's key: everything the answer depends on besides the data, hashed. */
export const entryKey = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
