import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { v4 as uuid } from 'uuid';
import type { DatabaseMonitor } from '../../db/monitor';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { executeRun, RunBusyError } from './brief-run.service';
import { logger } from '../../common/logger';
import { briefRuns } from '../../common/metrics';

export type WorkerState = 'idle' | 'composing' | 'waiting for the database' | 'stopped';

/**
 * Takes brief-run jobs from pg-boss one at a time and settles each itself, awaiting every call. (pg-boss 10's own
 * `work()` completes and fails jobs without awaiting them, so a database lost at that moment became an unhandled
 * rejection that ended the process.) When the database goes away mid-run, the attempt waits for it and resumes with
 * its own token, so the run is neither stranded nor composed twice; pg-boss still keeps, retries and expires jobs.
 */
export class RunWorker {
  state: WorkerState = 'idle';
  private stopping = false;
  private stopped!: () => void;
  /** Settles when stop() is called, so no wait outlives the worker. */
  private readonly stopRequested = new Promise<void>((resolve) => (this.stopped = resolve));
  private wake = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly boss: PgBoss,
    private readonly queue: string,
    private readonly dataSource: DataSource,
    private readonly monitor: DatabaseMonitor,
    private readonly pollMs: number,
    /** Called after each run it settles (deliveries wait for finished runs). */
    private readonly afterRun: () => void = () => undefined,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Something was queued: look now rather than at the next poll. */
  notify(): void {
    this.wake.abort();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped();
    this.notify();
    await this.loop;
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      // pg-boss 10's fetch answers [] when the database fails, so a lost database only slows the loop to its poll.
      const [job] = await this.boss.fetch<{ runId: string }>(this.queue).catch(() => []);
      if (!job) {
        await this.pause(this.pollMs);
        continue;
      }
      // Whatever one job does, the loop goes on: a worker that died would strand every later run.
      await this.work(job).catch((error) => {
        logger.error({ err: error, jobId: job.id }, 'brief scheduler: a job failed unexpectedly');
        this.state = 'idle';
      });
    }
  }

  private async work(job: PgBoss.Job<{ runId: string }>): Promise<void> {
    this.state = 'composing';
    const attempt = uuid();
    let failure: unknown;
    for (;;) {
      try {
        await executeRun(this.dataSource, job.data.runId, attempt);
        failure = undefined;
        break;
      } catch (error) {
        failure = error;
        if (!isDatabaseUnavailable(error) || this.stopping) break;
        await this.untilDatabaseAnswers();
      }
    }
    // Settled once, and again after an outage until it is recorded; left to pg-boss's expiry only when stopping.
    const settle = () =>
      failure === undefined
        ? this.boss.complete(this.queue, job.id)
        : this.boss.fail(this.queue, job.id, { message: String((failure as Error)?.message ?? failure) });
    while (!this.stopping) {
      try {
        await settle();
        break;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) {
          logger.error({ err: error, jobId: job.id }, 'brief scheduler: a job could not be settled');
          break;
        }
        await this.untilDatabaseAnswers();
      }
    }
    briefRuns.inc({
      outcome: failure === undefined ? 'composed' : failure instanceof RunBusyError ? 'busy' : isDatabaseUnavailable(failure) ? 'database_away' : 'failed',
    });
    // A busy run is retried by the queue as it should be; anything else is worth a line (the run records it too).
    if (failure !== undefined && !(failure instanceof RunBusyError) && !isDatabaseUnavailable(failure)) {
      logger.error({ runId: job.data.runId, err: failure }, 'brief run failed');
    }
    this.state = 'idle';
    this.afterRun();
  }

  private async untilDatabaseAnswers(): Promise<void> {
    this.state = 'waiting for the database';
    // The monitor may not have noticed yet: give it a check interval before asking.
    await this.pause(this.pollMs);
    await Promise.race([this.monitor.whenUp(), this.stopRequested]);
    this.state = 'composing';
  }

  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    try {
      await sleep(ms, undefined, { signal: this.wake.signal });
    } catch {
      this.wake = new AbortController(); // woken early
    }
  }
}
