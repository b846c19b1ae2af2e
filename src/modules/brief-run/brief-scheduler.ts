import PgBoss from 'pg-boss';
import { v4 as uuid } from 'uuid';
import type { DataSource, QueryRunner } from 'typeorm';
import { loadConfig } from '../../config';
import { databaseTimeouts, poolSettings, type DatabaseTimeouts } from '../../db/data-source';
import { DatabaseMonitor } from '../../db/monitor';
import { isDatabaseUnavailable, unavailableReason } from '../../db/unavailable';
import { nextOccurrence, occurrencesBetween } from '../brief-definition/schedule';
import { LEASE_OVER, RUN_LEASE_SECONDS, RUN_TIMEOUT_SECONDS } from './brief-run.service';
import { RunWorker, type WorkerState } from './run-worker';
import { deliverySettings, type DeliverySettings } from '../delivery/delivery.settings';
import { DeliveryWorker } from '../delivery/delivery.worker';
import { logger } from '../../common/logger';
import { samplePool, schedulerTicks } from '../../common/metrics';

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
  /** How often an idle worker polls the queue (this instance's ticks also wake it). */
  pollSeconds?: number;
  /** Checks the database; the scheduler starts its own when none is given. */
  monitor?: DatabaseMonitor;
  /** Timeouts of pg-boss's connections (the service's defaults when not given). */
  timeouts?: DatabaseTimeouts;
  /** How runs are delivered (the service's defaults when not given). */
  delivery?: DeliverySettings;
}

export interface SchedulerHealth {
  status: 'running' | 'waiting for the database' | 'stopped';
  worker: WorkerState;
  lastTickAt: string | null;
  lastTickError?: string;
}

/**
 * Runs due brief definitions. Any number of instances may run against one database:
 * - a tick claims due definitions with FOR UPDATE SKIP LOCKED and, in the same transaction, moves them to their
 *   next occurrence, records the run (unique per definition and occurrence) and queues it in pg-boss;
 * - pg-boss hands each queued job to exactly one worker, retries failures, and keeps jobs across restarts;
 * - a tick also queues again any run stranded by a process that died: QUEUED with no live job, or RUNNING with its
 *   lease run out (a duplicate job is harmless: the attempt token lets one attempt compose).
 * Occurrences that fell due while no instance ran are recorded as MISSED, and the latest of them is run once.
 * While the database is away, ticks wait for it and run as soon as it answers.
 */
export class BriefScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> = Promise.resolve();
  private timerTick: Promise<unknown> | undefined;
  private awaitingDatabase = false;
  private stopped = false;
  private lastTickAt: string | null = null;
  private lastTickError: string | undefined;
  /** The queue's pool in the metrics (pg-boss's own pool, of the same settings as the service's). */
  private readonly unsamplePool = samplePool(
    'queue',
    () => (this.boss.getDb() as { pool?: { totalCount: number; idleCount: number; waitingCount: number } }).pool,
  );

  private constructor(
    private readonly dataSource: DataSource,
    private readonly boss: PgBoss,
    private readonly monitor: DatabaseMonitor,
    private readonly ownMonitor: boolean,
    private readonly worker: RunWorker,
    private readonly deliveries: DeliveryWorker,
  ) {}

  static async start(dataSource: DataSource, options: SchedulerOptions): Promise<BriefScheduler> {
    const timeouts = options.timeouts ?? databaseTimeouts(loadConfig({}));
    const monitor = options.monitor ?? (await new DatabaseMonitor(options.connectionString, { intervalMs: 1_000, timeoutMs: 2_000 }).start());
    const boss = new PgBoss({ connectionString: options.connectionString, max: 4, schedule: false, ...poolSettings(timeouts) });
    boss.on('error', (error) =>
      logger.error(`brief scheduler: ${isDatabaseUnavailable(error) ? `the queue lost the database (${unavailableReason(error)})` : error.message}`),
    );
    await boss.start();
    const queue = { name: BRIEF_RUN_QUEUE, retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: RUN_TIMEOUT_SECONDS };
    await boss.createQueue(BRIEF_RUN_QUEUE, queue);
    await boss.updateQueue(BRIEF_RUN_QUEUE, queue); // createQueue leaves an existing queue's options as they were
    const pollMs = (options.pollSeconds ?? 2) * 1000;
    const deliveries = await DeliveryWorker.start(boss, dataSource, options.delivery ?? deliverySettings(loadConfig({})), pollMs);
    const worker = new RunWorker(boss, BRIEF_RUN_QUEUE, dataSource, monitor, pollMs, () => deliveries.notify());
    const scheduler = new BriefScheduler(dataSource, boss, monitor, !options.monitor, worker, deliveries);
    worker.start();
    scheduler.timer = setInterval(() => scheduler.onTimer(), options.tickMs);
    await scheduler.tick();
    return scheduler;
  }

  health(): SchedulerHealth {
    const status = this.stopped ? 'stopped' : this.monitor.down ? 'waiting for the database' : 'running';
    return { status, worker: this.worker.state, lastTickAt: this.lastTickAt, ...(this.lastTickError ? { lastTickError: this.lastTickError } : {}) };
  }

  /** One tick at a time from the timer: a slow database skips ticks rather than piling them up. */
  private onTimer(): void {
    if (this.timerTick || this.stopped) return;
    if (this.monitor.down) {
      if (this.awaitingDatabase) return;
      this.awaitingDatabase = true;
      void this.monitor.whenUp().then(() => {
        this.awaitingDatabase = false;
        this.onTimer();
      });
      return;
    }
    this.timerTick = this.tick()
      .catch((error) => {
        if (isDatabaseUnavailable(error)) logger.warn(`brief scheduler: tick skipped, the database is away (${unavailableReason(error)})`);
        else logger.error({ err: error }, 'brief scheduler: tick failed');
      })
      .finally(() => {
        this.timerTick = undefined;
      });
  }

  /** Queues every due occurrence once; returns how many runs it queued. */
  tick(now = new Date()): Promise<number> {
    const next = this.ticking.then(async () => {
      try {
        const queued = await this.claimDue(now);
        const requeued = await this.requeueStranded();
        this.lastTickAt = new Date().toISOString();
        this.lastTickError = undefined;
        schedulerTicks.inc({ outcome: 'ok' });
        if (queued + requeued) this.worker.notify();
        return queued;
      } catch (error) {
        schedulerTicks.inc({ outcome: isDatabaseUnavailable(error) ? 'database_away' : 'failed' });
        // Shown by /readyz, which anyone may ask: no error text, the log has it.
        this.lastTickError = isDatabaseUnavailable(error) ? `the database is away (${unavailableReason(error)})` : 'failed (see the log)';
        throw error;
      }
    });
    this.ticking = next.catch(() => undefined);
    return next;
  }

  /**
   * Queues again the runs a dead process left behind. A QUEUED run needs a job waiting, or one taken within the
   * lease; a RUNNING run whose lease ran out needs a job waiting. Reads pg-boss's job table (pg-boss 10's schema).
   */
  private async requeueStranded(): Promise<number> {
    return this.inTransaction(async (runner) => {
      const stranded = (await runner.query(
        `SELECT r.id, r.status FROM brief_run r
         WHERE (r.status = 'QUEUED' OR (r.status = 'RUNNING' AND ${LEASE_OVER}))
           AND NOT EXISTS (
             SELECT 1 FROM pgboss.job j
             WHERE j.name = $1 AND j.data->>'runId' = r.id::text
               AND (j.state < 'active' OR (r.status = 'QUEUED' AND j.state = 'active' AND j.started_on > now() - make_interval(secs => $2))))
         ORDER BY r.scheduled_for FOR UPDATE OF r SKIP LOCKED LIMIT 100`,
        [BRIEF_RUN_QUEUE, RUN_LEASE_SECONDS],
      )) as Array<{ id: string; status: string }>;
      for (const run of stranded) {
        await this.queueRun(runner, run.id);
        logger.warn(`brief scheduler: queued run ${run.id} again (${run.status === 'QUEUED' ? 'its job was lost' : 'its attempt stopped renewing its lease'})`);
      }
      return stranded.length;
    });
  }

  private async inTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        const result = await work(runner);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private claimDue(now: Date): Promise<number> {
    return this.inTransaction(async (runner) => {
      const due = (await runner.query(
        `SELECT id, cron, time_zone, next_run_at, marking, organisation, audience, input FROM brief_definition
         WHERE NOT paused AND next_run_at <= $1 ORDER BY next_run_at FOR UPDATE SKIP LOCKED LIMIT 100`,
        [now],
      )) as DueDefinition[];
      let queued = 0;
      for (const d of due) queued += await this.queueDue(runner, d, now);
      return queued;
    });
  }

  private async queueDue(runner: QueryRunner, d: DueDefinition, now: Date): Promise<number> {
    let occurrences: Date[];
    let next: Date | null;
    try {
      occurrences = occurrencesBetween(d.cron, d.time_zone, new Date(d.next_run_at), now);
      next = nextOccurrence(d.cron, d.time_zone, now);
    } catch (error) {
      // Saved schedules are checked, so only a hand-edited row gets here: pause it rather than block every tick.
      logger.error(`brief scheduler: pausing definition ${d.id}, its schedule cannot be read: ${(error as Error).message}`);
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
    await this.queueRun(runner, inserted[0].id);
    return 1;
  }

  /** Queued inside the caller's transaction: the run and its job exist together or not at all. */
  private async queueRun(runner: QueryRunner, runId: string): Promise<void> {
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }) };
    const job = await this.boss.send(BRIEF_RUN_QUEUE, { runId }, { db });
    if (!job) throw new Error(`pg-boss did not queue run ${runId}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.worker.stop();
    await this.deliveries.stop();
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    if (this.ownMonitor) await this.monitor.stop();
    this.unsamplePool();
  }
}
