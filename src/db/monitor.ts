import { Client } from 'pg';
import { unavailableReason } from './unavailable';

export interface DatabaseHealth {
  /** `unknown` until the first check has answered. */
  status: 'up' | 'down' | 'unknown';
  /** When the last check finished, and how long it took. */
  checkedAt: string | null;
  latencyMs: number | null;
  /** When the status last changed. */
  since: string | null;
  /** Why the last check failed, in words that name no host. */
  reason?: string;
}

export interface MonitorOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Told when the database goes away and when it answers again. */
  log?: (line: string) => void;
}

/**
 * Checks the database every interval on a connection of its own, outside the pools, so readiness reads a recent
 * answer instantly and is not starved by load; requests and the scheduler consult it to fail fast or wait while the
 * database is known to be away.
 */
export class DatabaseMonitor {
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private current: DatabaseHealth = { status: 'unknown', checkedAt: null, latencyMs: null, since: null };
  private waiters = new Set<() => void>();
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly options: MonitorOptions,
  ) {}

  /** Starts checking; resolves after the first check. */
  async start(): Promise<this> {
    this.checking = this.check();
    await this.checking;
    return this;
  }

  get health(): DatabaseHealth {
    return { ...this.current };
  }

  /** Known to be away: the last check failed. */
  get down(): boolean {
    return this.current.status === 'down';
  }

  /** Resolves once a check has succeeded (at once if the last one did), or when the monitor stops. */
  whenUp(): Promise<void> {
    if (!this.down || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checking;
    this.release();
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  private async check(): Promise<void> {
    const started = performance.now();
    try {
      this.client ??= await this.connect();
      await this.client.query('SELECT 1');
      this.record('up', started);
    } catch (error) {
      this.release();
      this.record('down', started, unavailableReason(error));
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.checking = this.check();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.options.timeoutMs,
      query_timeout: this.options.timeoutMs,
      application_name: 'dossier-monitor',
    });
    client.on('error', () => {
      if (this.client === client) this.release(); // a server going away: the next check reports it
    });
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private release() {
    // Not awaited: a frozen server would hold the goodbye; end() drops a connection with a query in flight.
    void this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private record(status: 'up' | 'down', started: number, reason?: string) {
    const now = new Date().toISOString();
    const since = status === this.current.status ? this.current.since : now;
    if (status === 'down' && this.current.status !== 'down') this.options.log?.(`database: unreachable (${reason})`);
    if (status === 'up' && this.current.status === 'down') {
      this.options.log?.(`database: answers again, after ${((Date.parse(now) - Date.parse(this.current.since!)) / 1000).toFixed(1)} s`);
    }
    this.current = { status, checkedAt: now, latencyMs: Math.round(performance.now() - started), since, ...(reason ? { reason } : {}) };
    if (status === 'up') {
      for (const resolve of this.waiters) resolve();
      this.waiters.clear();
    }
  }
}
