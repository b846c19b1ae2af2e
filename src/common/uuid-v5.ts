import { createHash } from 'node:crypto';

// UUID v5 (RFC 9562, SHA-1 of namespace and name) straight from node:crypto: the uuid package's v5 encodes the name
// to bytes in JavaScript first, a cost that shows when an import derives an id for each of tens of thousands of items.

const namespaces = new Map<string, Buffer>();
const bytesOf = (namespace: string) => {
  let bytes = namespaces.get(namespace);
  if (!bytes) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(namespace)) throw new TypeError(`not a UUID: ${namespace}`);
    bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    namespaces.set(namespace, bytes);
  }
  return bytes;
};

/** The UUID of a SHA-1 digest begun with a namespace: version 5, RFC 9562 variant. */
export function uuidOfDigest(digest: Buffer): string {
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A SHA-1 hash begun with the namespace's bytes, for a name written in pieces. */
export const v5Hash = (namespace: string) => createHash('sha1').update(bytesOf(namespace));

/** UUID v5 of `name` (UTF-8) in `namespace`: the same UUID as the uuid package's v5(name, namespace). */
export const uuidV5 = (name: string, namespace: string): string => uuidOfDigest(v5Hash(namespace).update(name, 'utf8').digest());
