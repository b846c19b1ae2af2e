/** The environment variable that tells a forked worker its index (0 runs the scheduler and the seed). */
export const WORKER_INDEX = 'DOSSIER_WORKER_INDEX';
/** A worker listens and serves. */
export const READY = 'dossier:ready';
/** A worker asks for the metrics of all workers (`id`); the primary answers with the same type and id. */
export const METRICS_REQUEST = 'dossier:metrics';

export type WorkerMessage = { type: typeof READY } | { type: typeof METRICS_REQUEST; id: number };
export type PrimaryMessage = { type: typeof METRICS_REQUEST; id: number; text?: string; error?: string };
