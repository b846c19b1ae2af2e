// An import inserts statements and then their citations: refreshed by each write, every statement's contributions
// were worked out twice in one transaction (a third of an import's time). The triggers now only note the statements a
// write touched (contribution_pending), and one deferred trigger refreshes each of them once, as the transaction
// commits. It still locks the statements before reading them (refresh_contributions), so two transactions that touch
// one statement refresh it one after the other and the second reads what the first committed: exact as before.
//
// The notes are rows of the writing transaction only (keyed by its id, deleted before it commits, gone with it if it
// rolls back), in unlogged tables: nothing in them outlives a transaction, so nothing needs to survive a crash.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { KINDS, literal } from './1796300000000-MaintainAggregateRollup';

export class RefreshContributionsAtCommit1796420000000 implements MigrationInterface {
  name = 'RefreshContributionsAtCommit1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (text: string) => queryRunner.query(text);
    await q(`CREATE UNLOGGED TABLE contribution_pending (tx xid8 NOT NULL, kind text NOT NULL, statement_id uuid NOT NULL)`);
    await q(`CREATE INDEX contribution_pending_tx ON contribution_pending (tx, kind)`);
    // One row per transaction with notes: its insert queues the deferred refresh once.
    await q(`CREATE UNLOGGED TABLE contribution_pending_transaction (tx xid8 PRIMARY KEY)`);
    await q(`CREATE FUNCTION defer_contributions(kind text, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
        INSERT INTO contribution_pending (tx, kind, statement_id) SELECT pg_current_xact_id(), kind, unnest(ids);
        INSERT INTO contribution_pending_transaction (tx) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
      END $fn$`);
    await q(pendingRefresh().replace('CREATE OR REPLACE', 'CREATE'));
    await q(`CREATE CONSTRAINT TRIGGER refresh_at_commit AFTER INSERT ON contribution_pending_transaction
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refresh_pending_contributions()`);
    await this.triggerFunctions(queryRunner, 'defer_contributions(TG_ARGV[0], ids)', (k) => `defer_contributions('${k.kind}', ids)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.triggerFunctions(
      queryRunner,
      'refresh_contributions(TG_ARGV[0], TG_TABLE_NAME, TG_ARGV[1], TG_ARGV[2], ids)',
      (k) => `refresh_contributions('${k.kind}', '${k.table}', '${k.cited}', ${literal(k.own)}, ids)`,
    );
    await queryRunner.query(`DROP TRIGGER refresh_at_commit ON contribution_pending_transaction`);
    await queryRunner.query(`DROP FUNCTION refresh_pending_contributions(), defer_contributions(text, uuid[])`);
    await queryRunner.query(`DROP TABLE contribution_pending_transaction, contribution_pending`);
  }

  /** The trigger functions of MaintainAggregateRollup, with what they do with the statements a write touched. */
  private async triggerFunctions(queryRunner: QueryRunner, onStatement: string, onCited: (k: (typeof KINDS)[number]) => string) {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION statement_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        EXECUTE format('SELECT array_agg(DISTINCT id) FROM (%s) t', touched_rows(TG_OP, TG_ARGV[3])) INTO ids;
        PERFORM ${onStatement};
        RETURN NULL;
      END $fn$`);
    const perKind = KINDS.map(
      (k) => `IF TG_TABLE_NAME = 'citation' THEN
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM (%s) t WHERE ${k.cited} IS NOT NULL', touched_rows(TG_OP, TG_ARGV[0])) INTO ids;
          ELSE
            EXECUTE format('SELECT array_agg(DISTINCT ${k.cited}) FROM citation WHERE ${k.cited} IS NOT NULL AND source_id IN (SELECT id FROM (%s) t)',
              touched_rows(TG_OP, TG_ARGV[0])) INTO ids;
          END IF;
          PERFORM ${onCited(k)};`,
    );
    await queryRunner.query(`CREATE OR REPLACE FUNCTION cited_contributions_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        ${perKind.join('\n        ')}
        RETURN NULL;
      END $fn$`);
  }
}

/** The deferred trigger's function: each kind's statements noted by the transaction, refreshed once. */
export const pendingRefresh = () => `CREATE OR REPLACE FUNCTION refresh_pending_contributions() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids uuid[];
      BEGIN
        DELETE FROM contribution_pending_transaction WHERE tx = NEW.tx;
        ${KINDS.map(
          (k) => `WITH noted AS (DELETE FROM contribution_pending WHERE tx = NEW.tx AND kind = '${k.kind}' RETURNING statement_id)
          SELECT array_agg(DISTINCT statement_id) INTO ids FROM noted;
        PERFORM refresh_contributions('${k.kind}', '${k.table}', '${k.cited}', ${literal(k.own)}, ids);`,
        ).join('\n        ')}
        RETURN NULL;
      END $fn$`;
