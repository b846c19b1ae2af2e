// The stored search vectors (StoreSearchVectors) are derived from a row's text: the history must not record them as a
// field that changed, or every edit of a statement's text also reports an unknown facet (and stores the vector twice).
// record_change() gets the column added to the keys it already leaves out (version, updated_at); what was recorded
// since the column came is cleaned the same way.
import { MigrationInterface, QueryRunner } from 'typeorm';

const LEFT_OUT = `'{version,updated_at}'::text[]`;
const LEFT_OUT_NOW = `'{version,updated_at,search_english}'::text[]`;

async function replaceInRecordChange(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  const [{ definition }] = (await queryRunner.query(`SELECT pg_get_functiondef('record_change'::regproc) AS definition`)) as Array<{ definition: string }>;
  if (!definition.includes(from)) throw new Error(`record_change() does not leave out ${from}: edited elsewhere?`);
  await queryRunner.query(definition.split(from).join(to));
}

export class HistoryLeavesOutSearchVectors1796321000000 implements MigrationInterface {
  name = 'HistoryLeavesOutSearchVectors1796321000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await replaceInRecordChange(queryRunner, LEFT_OUT, LEFT_OUT_NOW);
    for (const column of ['before', 'after', 'state']) {
      await queryRunner.query(`UPDATE change SET "${column}" = "${column}" - 'search_english' WHERE "${column}" ? 'search_english'`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await replaceInRecordChange(queryRunner, LEFT_OUT_NOW, LEFT_OUT);
  }
}
