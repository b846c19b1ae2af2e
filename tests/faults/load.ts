import { setTimeout as sleep } from 'node:timers/promises';

/** One request as a client saw it. */
export interface Outcome {
  kind: 'read' | 'write';
  start: number;
  end: number;
  status: number;
  ok: boolean;
  code?: string;
  retryAfter: string | null;
  /** The body names something of the connection (an error code, an address, a driver message). */
  detail: boolean;
  /** For a write: the statement it tried to record (retried under one Idempotency-Key until acknowledged), and the id it got back when acknowledged. */
  statement?: string;
  id?: string;
}

const DETAIL = /ECONN|EPIPE|terminated|timeout expired|read timeout|127\.0\.0\.1|postgres|stacktrace/i;
/** A request the service left unanswered this long counts as hanging. */
const GIVE_UP_MS = 30_000;

const READS = [
  { key: false, query: '{ topics { totalCount } }' },
  { key: true, query: '{ implications(first: 5) { totalCount nodes { id statement } } }' },
  { key: true, query: '{ actors(first: 10) { nodes { name capabilities(first: 3) { nodes { statement } } } } }' },
];
const CREATE = `mutation($input: ImplicationInput!) { createImplication(input: $input) { id } }`;

/** A write a writer keeps sending, under the same key, until it is acknowledged. */
interface PendingWrite {
  statement: string;
  key: string;
}

/**
 * Readers and writers hammering the service with a short pause between requests, each outcome recorded. Writes
 * are judgments with a unique statement, so every acknowledged one can be looked for afterwards. A writer whose write
 * fails sends the same write again, with the same Idempotency-Key, as a careful client does: it must be stored once.
 */
export class Load {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private loops: Promise<void>[] = [];
  private writes = 0;
  private readonly pending = new Map<number, PendingWrite>();

  constructor(
    private readonly graphql: string,
    private readonly key: string,
    private readonly article: string,
  ) {}

  start(readers: number, writers: number): void {
    for (let i = 0; i < readers; i++) this.loops.push(this.loop(() => this.read(READS[i % READS.length])));
    for (let i = 0; i < writers; i++) this.loops.push(this.loop(() => this.write(i)));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Sends every write still unacknowledged again (the database is back) until each is; gives up after `ms`. */
  async finish(ms: number): Promise<number> {
    const until = Date.now() + ms;
    while (this.pending.size && Date.now() < until) {
      for (const writer of [...this.pending.keys()]) this.outcomes.push(await this.write(writer));
      await sleep(100);
    }
    return this.pending.size;
  }

  private async loop(send: () => Promise<Outcome>): Promise<void> {
    while (this.running) {
      this.outcomes.push(await send());
      await sleep(25);
    }
  }

  private read({ key, query }: (typeof READS)[number]) {
    return this.send('read', key, { query });
  }

  private async write(writer: number) {
    const write = this.pending.get(writer) ?? {
      statement: `Fault-suite judgment ${++this.writes}: North Korean units rotate before spring.`,
      key: `fault-write-${this.writes}`,
    };
    this.pending.set(writer, write);
    const input = {
      topic: 'dprk-troops-in-russia',
      statement: write.statement,
      likelihood: 'UNLIKELY',
      confidence: 'LOW',
      scope: 'CONFLICT',
      horizon: 'SHORT_TERM',
      citations: [{ source: this.article, verb: 'SPECULATES', quote: 'DPRK forces are being readied for combat roles', credibility: 4 }],
    };
    const outcome = await this.send('write', true, { query: CREATE, variables: { input } }, { 'idempotency-key': write.key });
    if (outcome.ok) this.pending.delete(writer);
    return { ...outcome, statement: write.statement };
  }

  private async send(kind: Outcome['kind'], withKey: boolean, body: object, headers: Record<string, string> = {}): Promise<Outcome> {
    const start = Date.now();
    try {
      const response = await fetch(this.graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(withKey ? { authorization: `Bearer ${this.key}` } : {}), ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(GIVE_UP_MS),
      });
      const text = await response.text();
      const parsed = JSON.parse(text) as { data?: Record<string, { id?: string } | null>; errors?: Array<{ extensions?: { code?: string } }> };
      const ok = response.status === 200 && !parsed.errors;
      return {
        kind,
        start,
        end: Date.now(),
        status: response.status,
        ok,
        code: parsed.errors?.[0]?.extensions?.code,
        retryAfter: response.headers.get('retry-after'),
        detail: !ok && DETAIL.test(text),
        id: ok && kind === 'write' ? parsed.data?.createImplication?.id : undefined,
      };
    } catch (error) {
      // No answer at all: the connection failed or the service hung past GIVE_UP_MS.
      return { kind, start, end: Date.now(), status: 0, ok: false, code: (error as Error).name, retryAfter: null, detail: false };
    }
  }
}
