import { createHash } from 'node:crypto';

/**
 * Named prepared statements for the read path. The compiler's text is stable per operation shape and viewer class
 * (values are parameters), so a statement PostgreSQL has parsed and planned once on a connection can be executed again
 * there with new values: no text to send and parse, and a cached plan once PostgreSQL finds the generic one as good.
 *
 * The read path marks its texts with `reusable`; the pool's client (client.ts) sends a marked text as a named
 * statement once it has been seen twice, so a one-off query takes no slot. Each connection holds at most
 * `PER_CONNECTION` of them (PostgreSQL keeps each one's plan in that backend's memory); later ones go unnamed.
 */
const REMEMBERED = 2000;
export const PER_CONNECTION = 100;

/** Marked texts by their text: how often each was sent, and its statement name. */
const marked = new Map<string, { seen: number; name: string }>();

/** Marks a statement text as worth preparing and returns it unchanged. */
export function reusable(text: string): string {
  const known = marked.get(text);
  if (known) {
    known.seen += 1;
    // Refreshed as most recent: the oldest entry is the first in the map.
    marked.delete(text);
    marked.set(text, known);
    return text;
  }
  if (marked.size >= REMEMBERED) marked.delete(marked.keys().next().value!);
  marked.set(text, { seen: 1, name: `dossier_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}` });
  return text;
}

/** The name to prepare `text` under, if it was marked and seen before; `names` are the connection's prepared ones. */
export function statementName(text: string, names: Set<string>): string | undefined {
  const known = marked.get(text);
  if (!known || known.seen < 2) return undefined;
  if (names.has(known.name)) return known.name;
  if (names.size >= PER_CONNECTION) return undefined;
  names.add(known.name);
  return known.name;
}
