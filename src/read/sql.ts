import type { Viewer } from '../common/viewer';
import { citationVisibleWith, visibleTo, type CitationJoin, type ItemTable } from './access';

/** Collects bind parameters and fresh table aliases while one GraphQL field is compiled into one SQL statement. */
export class SqlBuilder {
  readonly params: unknown[] = [];
  private aliases = 0;

  constructor(
    readonly viewer: Viewer,
    readonly maxPageSize: number,
    /** Page size of a connection asked for without `first`. */
    readonly defaultPageSize = maxPageSize,
  ) {}

  /** A placeholder for `value`, with an optional cast (`$3::uuid`). */
  param(value: unknown, cast?: string): string {
    this.params.push(value);
    return `$${this.params.length}${cast ? `::${cast}` : ''}`;
  }

  alias(): string {
    this.aliases += 1;
    return `t${this.aliases}`;
  }

  visible(alias: string, table: ItemTable): string {
    return visibleTo(this.viewer, alias, table);
  }

  /** `visible(alias, 'citation')` where the citation's statement and source rows are joined already. */
  visibleCitation(alias: string, joined: CitationJoin): string {
    return citationVisibleWith(this.viewer, alias, joined);
  }
}

/** json_build_object takes at most 100 arguments: larger objects are built in parts and merged. */
export function jsonObject(entries: Array<[string, string]>): string {
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 50) {
    chunks.push(`json_build_object(${entries.slice(i, i + 50).map(([k, v]) => `'${k}', ${v}`).join(', ')})`);
  }
  if (chunks.length === 0) return `'{}'::json`;
  return chunks.length === 1 ? chunks[0] : `(${chunks.map((c) => `${c}::jsonb`).join(' || ')})::json`;
}

export const and = (conditions: string[]) => (conditions.length ? conditions.join(' AND ') : 'TRUE');
