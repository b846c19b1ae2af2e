import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { METRICS_REQUEST, READY, WORKER_INDEX, type PrimaryMessage } from './messages';

/** This process's place among the workers of WORKERS=n (src/cluster/primary.ts), or undefined when it serves alone. */
export function currentWorker(): { index: number; pid: number } | undefined {
  const index = process.env[WORKER_INDEX];
  return cluster.isWorker && index !== undefined ? { index: Number(index), pid: process.pid } : undefined;
}

/** Tells the primary this worker serves: the next workers start once worker 0 has migrated and seeded. */
export function signalReady(): void {
  if (currentWorker()) process.send?.({ type: READY });
}

/** Lets the primary collect `registry` when any worker is asked for the metrics. */
export function shareMetrics(registry: Registry): void {
  if (!currentWorker()) return;
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // adds the listener that answers the primary
}

const ANSWER_TIMEOUT_MS = 10_000;
let asked = 0;

/** The metrics of every worker, summed by the primary (prom-client's cluster aggregation). */
export function clusterMetrics(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const answered = (message: PrimaryMessage) => {
      if (message?.type !== METRICS_REQUEST || message.id !== id) return;
      done();
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the primary did not send the metrics in time'));
    }, ANSWER_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off('message', answered);
    };
    process.on('message', answered);
    process.send?.({ type: METRICS_REQUEST, id });
  });
}
