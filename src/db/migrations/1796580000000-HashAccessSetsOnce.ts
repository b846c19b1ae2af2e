// The refresh of statement contributions (KeepActorTotals) hashed each (statement, field, value)'s set of access
// alternatives twice, md5 over its text: once to add the new sets, once more for the statement's row. An import of
// 10,000 relations has ~147,000 such rows. The hash is now taken once, as the rows are grouped; what is written is
// unchanged. The functions are edited in place, as they stand.
import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = ['capability', 'challenge', 'implication', 'event', 'relation'];
const GROUPED = `grouped AS (SELECT sid, field, value, string_agg(DISTINCT keys::text, ';' ORDER BY keys::text) AS alternatives FROM raw GROUP BY 1, 2, 3)`;
/** Each fragment, then what it becomes. */
const EDITS: Array<[string, string]> = [
  [GROUPED, GROUPED.replace('grouped AS (', 'grouped AS (SELECT *, md5(alternatives)::uuid AS set_id FROM (').replace(/\)$/, ') g)')],
  ['SELECT DISTINCT md5(alternatives)::uuid, alternatives FROM grouped', 'SELECT DISTINCT set_id, alternatives FROM grouped'],
  ['array_agg(md5(g.alternatives)::uuid)', 'array_agg(g.set_id)'],
];

async function edit(queryRunner: QueryRunner, edits: Array<[string, string]>): Promise<void> {
  for (const kind of KINDS) {
    const name = `refresh_${kind}_contributions(uuid[])`;
    const [{ definition }] = (await queryRunner.query(`SELECT pg_get_functiondef($1::regprocedure) AS definition`, [name])) as Array<{ definition: string }>;
    let edited = definition;
    for (const [from, to] of edits) {
      if (edited.split(from).length !== 2) throw new Error(`${name} does not hold ${from} once: edited elsewhere?`);
      edited = edited.replace(from, to);
    }
    await queryRunner.query(edited);
  }
}

export class HashAccessSetsOnce1796580000000 implements MigrationInterface {
  name = 'HashAccessSetsOnce1796580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await edit(queryRunner, EDITS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await edit(
      queryRunner,
      EDITS.map(([from, to]) => [to, from]),
    );
  }
}
