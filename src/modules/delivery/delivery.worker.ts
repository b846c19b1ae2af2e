import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { attemptDelivery } from './delivery.attempt';
import type { DeliverySettings } from './delivery.settings';
import { logger } from '../../common/logger';

export const DELIVERY_QUEUE = 'brief-delivery';

/** Deliveries sent at once by one instance. */
const CONCURRENCY = 4;

/**
 * Sends deliveries, each its own pg-boss job, so retries (with exponential backoff), restarts and several instances
 * are pg-boss's to handle. A finished run records its deliveries in its own transaction; this worker queues every
 * recorded delivery that has no job yet (so one recorded just before a crash is queued after it), then works the
 * queue. Like the run worker, it fetches and settles jobs itself, awaiting each call, so a lost database is waited
 * out rather than ending the process. A delivery that fails never touches its run.
 */
export class DeliveryWorker {
  private stopping = false;
  private wake = new AbortController();
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly boss: PgBoss,
    private readonly dataSource: DataSource,
    private readonly settings: DeliverySettings,
    private readonly pollMs: number,
  ) {}

  static async start(boss: PgBoss, dataSource: DataSource, settings: DeliverySettings, pollMs: number): Promise<DeliveryWorker> {
    const queue = {
      name: DELIVERY_QUEUE,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      // An attempt is one request with a timeout, and its composition the first time: well within this.
      expireInSeconds: 300,
    };
    await boss.createQueue(DELIVERY_QUEUE, queue);
    await boss.updateQueue(DELIVERY_QUEUE, queue);
    const worker = new DeliveryWorker(boss, dataSource, settings, pollMs);
    worker.loop = worker.run();
    return worker;
  }

  /** A run finished: look now rather than at the next poll. */
  notify(): void {
    this.wake.abort();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      await this.queueRecorded().catch((error) => {
        if (!isDatabaseUnavailable(error)) logger.error({ err: error }, 'deliveries: could not queue recorded deliveries');
      });
      const jobs = await this.boss.fetch<{ deliveryId: string }>(DELIVERY_QUEUE, { batchSize: CONCURRENCY, includeMetadata: true }).catch(() => []);
      if (!jobs.length) {
        await this.pause();
        continue;
      }
      await Promise.all(jobs.map((job) => this.work(job)));
    }
  }

  private async work(job: PgBoss.JobWithMetadata<{ deliveryId: string }>): Promise<void> {
    try {
      const result = await attemptDelivery(this.dataSource, this.settings, job.data.deliveryId, job.retryCount >= job.retryLimit);
      if (result === 'retry') await this.boss.fail(DELIVERY_QUEUE, job.id, { message: 'to be tried again' });
      else await this.boss.complete(DELIVERY_QUEUE, job.id);
    } catch (error) {
      // The database went away, most likely: the job is tried again later (or expires, and is tried again then).
      if (!isDatabaseUnavailable(error)) logger.error({ err: error, deliveryId: job.data.deliveryId }, 'deliveries: a delivery failed unexpectedly');
      await this.boss.fail(DELIVERY_QUEUE, job.id, { message: String((error as Error)?.message ?? error) }).catch(() => undefined);
    }
  }

  /**
   * Gives every recorded delivery without a job its job, in one transaction with marking it queued, so each is
   * queued once whatever the number of instances. A delivery whose job ended without settling it (its process died
   * on every attempt) is given up as FAILED, so none stays PENDING for ever.
   */
  private async queueRecorded(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const recorded = (await runner.query(
        `SELECT id FROM brief_delivery WHERE state = 'PENDING' AND job_id IS NULL ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 100`,
      )) as Array<{ id: string }>;
      const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }) };
      for (const { id } of recorded) {
        const jobId = await this.boss.send(DELIVERY_QUEUE, { deliveryId: id }, { db });
        await runner.query(`UPDATE brief_delivery SET job_id = $2 WHERE id = $1`, [id, jobId]);
      }
      await runner.query(
        `UPDATE brief_delivery d SET state = 'FAILED', finished_at = now(), error = coalesce(d.error || '; ', '') || 'gave up: its job ended unsettled'
         WHERE d.state = 'PENDING' AND d.job_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = d.job_id AND j.state < 'completed')`,
      );
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async pause(): Promise<void> {
    if (this.stopping) return;
    try {
      await sleep(this.pollMs, undefined, { signal: this.wake.signal });
    } catch {
      this.wake = new AbortController();
    }
  }
}
