import PgBoss from 'pg-boss';
import { v4 as uuid } from 'uuid';
import type { DataSource, QueryRunner } from 'typeorm';
import { nextOccurrence, occurrencesBetween } from '../brief-definition/schedule';
import { executeRun, RUN_TIMEOUT_SECONDS } from './brief-run.service';

export const BRIEF_RUN_QUEUE = 'brief-run';

interface DueDefinition {
  id: string;
  cron: string;
  time_zone: string;
  next_run_at: Date;
  marking: string;
  organisation: string | null;
  audience: string[];
  input: unknown;
}

export interface SchedulerOptions {
  /** The database pg-boss keeps its queue in: the service's own. */
  connectionString: string;
  /** How often this instance looks for due definitions. */
  tickMs: number;
  /** How often an idle worker polls the queue (pg-boss also wakes it when this instance queues a job). */
  pollSeconds?: number;
}

/**
 * Runs due brief definitions. Any number of instances may run against one database:
 * - a tick claims due definitions with FOR UPDATE SKIP LOCKED and, in the same transaction, moves them to their
 *   next occurrence, records the run (unique per definition and occurrence) and queues it in pg-boss;
 * - pg-boss hands each queued job to exactly one worker, retries failures, and keeps jobs across restarts.
 * Occurrences that fell due while no instance ran are recorded as MISSED, and the latest of them is run once.
 */
export class BriefScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dataSource: DataSource,
    private readonly boss: PgBoss,
  ) {}

  static async start(dataSource: DataSource, options: SchedulerOptions): Promise<BriefScheduler> {
    const boss = new PgBoss({ connectionString: options.connectionString, max: 4, schedule: false });
    boss.on('error', (error) => console.error(`brief scheduler: ${error.message}`));
    await boss.start();
    const queue = { name: BRIEF_RUN_QUEUE, retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: RUN_TIMEOUT_SECONDS };
    await boss.createQueue(BRIEF_RUN_QUEUE, queue);
    await boss.updateQueue(BRIEF_RUN_QUEUE, queue); // createQueue leaves an existing queue's options as they were
    const scheduler = new BriefScheduler(dataSource, boss);
    await boss.work<{ runId: string }>(BRIEF_RUN_QUEUE, { pollingIntervalSeconds: options.pollSeconds ?? 2 }, async (jobs) => {
      for (const job of jobs) await executeRun(dataSource, job.data.runId);
    });
    scheduler.timer = setInterval(() => void scheduler.tick().catch((e) => console.error('brief scheduler tick:', e)), options.tickMs);
    await scheduler.tick();
    return scheduler;
  }

  /** Queues every due occurrence once; returns how many runs it queued. */
  tick(now = new Date()): Promise<number> {
    const next = this.ticking.then(() => this.claimDue(now));
    this.ticking = next.catch(() => undefined);
    return next;
  }

  private async claimDue(now: Date): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const due: DueDefinition[] = await runner.query(
        `SELECT id, cron, time_zone, next_run_at, marking, organisation, audience, input FROM brief_definition
         WHERE NOT paused AND next_run_at <= $1 ORDER BY next_run_at FOR UPDATE SKIP LOCKED LIMIT 100`,
        [now],
      );
      let queued = 0;
      for (const d of due) queued += await this.queueDue(runner, d, now);
      await runner.commitTransaction();
      return queued;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async queueDue(runner: QueryRunner, d: DueDefinition, now: Date): Promise<number> {
    let occurrences: Date[];
    let next: Date | null;
    try {
      occurrences = occurrencesBetween(d.cron, d.time_zone, new Date(d.next_run_at), now);
      next = nextOccurrence(d.cron, d.time_zone, now);
    } catch (error) {
      // Saved schedules are checked, so only a hand-edited row gets here: pause it rather than block every tick.
      console.error(`brief scheduler: pausing definition ${d.id}, its schedule cannot be read: ${(error as Error).message}`);
      await runner.query(`UPDATE brief_definition SET paused = true, next_run_at = NULL WHERE id = $1`, [d.id]);
      return 0;
    }
    const latest = occurrences.pop();
    await runner.query(`UPDATE brief_definition SET next_run_at = $2 WHERE id = $1`, [d.id, next]);
    const insert = (at: Date, status: 'MISSED' | 'QUEUED') =>
      runner.query(
        `INSERT INTO brief_run (id, definition_id, scheduled_for, status, marking, organisation, audience, input)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
        [uuid(), d.id, at, status, d.marking, d.organisation, d.audience, JSON.stringify(d.input)],
      ) as Promise<Array<{ id: string }>>;
    for (const missed of occurrences) await insert(missed, 'MISSED');
    if (!latest) return 0;
    const inserted = await insert(latest, 'QUEUED');
    if (!inserted.length) return 0;
    // Queued inside the same transaction: the run and its job exist together or not at all.
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }) };
    const job = await this.boss.send(BRIEF_RUN_QUEUE, { runId: inserted[0].id }, { db });
    if (!job) throw new Error(`pg-boss did not queue run ${inserted[0].id}`);
    return 1;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
