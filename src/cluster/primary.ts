import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import { logger } from '../common/logger';
import type { Config } from '../config';
import { METRICS_REQUEST, READY, WORKER_INDEX, type WorkerMessage } from './messages';

/** How long a stop waits for workers to finish their own (each waits up to 10 s for requests in flight). */
const STOP_GRACE_MS = 20_000;
/** A worker that dies is replaced after this pause: one that fails at once does not spin the machine. */
const RESTART_DELAY_MS = 1_000;

/**
 * WORKERS=n: this process serves nothing itself; it forks n workers that share the port (node:cluster hands out
 * connections in turn). Worker 0 starts first, alone: it applies the migrations, loads the seed and runs the
 * scheduler; the others start once it is ready, without either. Rate limits are counted here for all of them (in
 * memory, exactly as one process would; with REDIS_URL in Redis), and /metrics on any worker answers the sum of all.
 * A worker that dies is replaced under the same index; SIGTERM or SIGINT stops every worker gracefully, then this.
 */
export async function runPrimary(config: Config): Promise<void> {
  new RateLimiterClusterMaster();
  const aggregator = new AggregatorRegistry();
  const workers = new Map<number, Worker>();
  let stopping = false;

  const fork = (index: number) =>
    new Promise<void>((ready, failed) => {
      const env: Record<string, string> = { [WORKER_INDEX]: String(index) };
      if (index > 0) Object.assign(env, { SEED: 'false', SCHEDULER: 'false' });
      const worker = cluster.fork(env);
      workers.set(index, worker);
      let served = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message?.type === READY) {
          served = true;
          ready();
        } else if (message?.type === METRICS_REQUEST) {
          aggregator.clusterMetrics().then(
            (text) => worker.isConnected() && worker.send({ type: METRICS_REQUEST, id: message.id, text }),
            (error: Error) => worker.isConnected() && worker.send({ type: METRICS_REQUEST, id: message.id, error: error.message }),
          );
        }
      });
      worker.once('exit', (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        if (stopping) return;
        // One that never served (a port in use, a database refusing) would fail again: the service does not start.
        if (!served) return failed(new Error(`worker ${index} ended before it was ready (${signal ?? `exit code ${code}`})`));
        logger.error(`worker ${index} (pid ${worker.process.pid}) ended (${signal ?? `exit code ${code}`}); starting another`);
        setTimeout(() => void fork(index).catch((error: Error) => logger.error(error.message)), RESTART_DELAY_MS).unref();
      });
    });

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const exits = [...workers.values()].map((w) => new Promise((exited) => (w.isDead() ? exited(null) : w.once('exit', exited))));
    for (const worker of workers.values()) worker.process.kill('SIGTERM');
    const late = setTimeout(() => workers.forEach((w) => w.process.kill('SIGKILL')), STOP_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(late);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    await fork(0);
    await Promise.all(Array.from({ length: config.WORKERS - 1 }, (_, i) => fork(i + 1)));
  } catch (error) {
    logger.fatal((error as Error).message);
    await stop(1);
  }
  logger.info(`Dossier: ${config.WORKERS} workers serve http://${config.HOST}:${config.PORT} (primary pid ${process.pid})`);
}
