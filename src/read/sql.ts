import type { Viewer } from '../common/viewer';
import { citationVisibleWith, visibleTo, type CitationJoin, type ItemTable } from './access';
import { sql, type Sql } from './fragment';

/** What compiling one GraphQL root field into one SQL statement needs: the viewer, page sizes and fresh aliases. */
export class SqlBuilder {
  private aliases = 0;

  constructor(
    readonly viewer: Viewer,
    readonly maxPageSize: number,
    /** Page size of a connection asked for without `first`. */
    readonly defaultPageSize = maxPageSize,
  ) {}

  alias(): Sql {
    this.aliases += 1;
    return sql.identifier(`t${this.aliases}`);
  }

  visible(alias: Sql, table: ItemTable): Sql {
    return visibleTo(this.viewer, alias, table);
  }

  /** `visible(alias, 'citation')` where the citation's statement and source rows are joined already. */
  visibleCitation(alias: Sql, joined: CitationJoin): Sql {
    return citationVisibleWith(this.viewer, alias, joined);
  }
}

/** json_build_object takes at most 100 arguments: larger objects are built in parts and merged. */
export function jsonObject(entries: Array<[string, Sql]>): Sql {
  const chunks: Sql[] = [];
  for (let i = 0; i < entries.length; i += 50) {
    const args = entries.slice(i, i + 50).map(([k, v]) => sql`${sql.key(k)}, ${v}`);
    chunks.push(sql`json_build_object(${sql.join(args, ', ')})`);
  }
  if (chunks.length === 0) return sql`'{}'::json`;
  return chunks.length === 1
    ? chunks[0]
    : sql`(${sql.join(
        chunks.map((c) => sql`${c}::jsonb`),
        ' || ',
      )})::json`;
}

export { and } from './fragment';
