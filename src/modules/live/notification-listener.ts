import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

export interface ListenerOptions {
  /** The channels to LISTEN on. */
  channels: string[];
  /** A notification arrived (its payload: ids and positions, never content). */
  onNotification: (channel: string, payload: string) => void;
  /**
   * Listening (again): whatever was notified while it was not may have been missed, so catch up. After a lost
   * connection, `downSince` is when the last one was last known to work (Date.now() time): notifications from then on
   * may be lost.
   */
  onListening: (downSince?: number) => void;
  /** How long a connection attempt, and the heartbeat's query, may take (ms). */
  timeoutMs: number;
  log?: (line: string) => void;
}

/** First and longest wait between attempts to listen again after the connection was lost (ms). */
const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];
/** How often a quiet connection is checked: a frozen or vanished server sends nothing, not even an error (ms). */
const HEARTBEAT_MS = 10_000;
/** The longest a stop waits for the connection to close (ms). */
const STOP_WAIT_MS = 2_000;

/**
 * One dedicated connection per instance that LISTENs for what other writers (any instance, any tool) notify. When it
 * is lost it connects again with backoff, forever, and never throws: a database outage ends no process. Each time it
 * listens (first and again) it calls `onListening`, for the dispatcher to catch up from the last position it saw.
 */
export class NotificationListener {
  private client: Client | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private lost: (() => void) | undefined;
  /** When the current (or last) connection was last known to listen: set on LISTEN, each heartbeat and each notification. */
  private aliveAt: number | undefined;

  constructor(
    private readonly url: string,
    private readonly options: ListenerOptions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.lost?.();
    // A connection still being made may not settle soon (a database that does not answer): shutdown does not wait on it.
    await Promise.race([Promise.all([this.client?.end().catch(() => undefined), this.loop]), sleep(STOP_WAIT_MS, undefined, { ref: false })]);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    let wasDown = false;
    while (!this.stopped) {
      try {
        await this.listen();
        if (wasDown) this.options.log?.('live updates: listening again');
        attempt = 0;
        wasDown = false;
        await this.untilLost();
      } catch (error) {
        if (!wasDown && !this.stopped) this.options.log?.(`live updates: not listening (${(error as Error)?.message ?? error}); retrying`);
        wasDown = true;
      }
      await this.client?.end().catch(() => undefined);
      this.client = undefined;
      if (this.stopped) break;
      wasDown = true;
      await sleep(BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]);
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.options.timeoutMs,
      query_timeout: this.options.timeoutMs,
      keepAlive: true,
      application_name: 'dossier-live',
    });
    this.client = client;
    client.on('error', () => this.lost?.());
    client.on('end', () => this.lost?.());
    client.on('notification', (message) => {
      this.aliveAt = Date.now();
      this.options.onNotification(message.channel, message.payload ?? '');
    });
    await client.connect();
    for (const channel of this.options.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    const downSince = this.aliveAt;
    this.aliveAt = Date.now();
    this.options.onListening(downSince);
  }

  /** Resolves when the connection fails, ends, or stops answering the heartbeat. */
  private untilLost(): Promise<void> {
    return new Promise<void>((resolve) => {
      const heartbeat = setInterval(() => {
        this.client?.query('SELECT 1').then(
          () => (this.aliveAt = Date.now()),
          () => this.lost?.(),
        );
      }, HEARTBEAT_MS);
      this.lost = () => {
        clearInterval(heartbeat);
        this.lost = undefined;
        resolve();
      };
      if (this.stopped) this.lost();
    });
  }
}
