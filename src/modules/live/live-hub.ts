import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { ErrorCode } from '../../common/errors';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { BriefRun } from '../brief-run/brief-run.entity';
import { findDefinition } from '../brief-definition/brief-definition.service';
import { changeFeed, feedEnd, isAfter, type PageSize } from '../history/change.read';
import type { Change, ChangeFilter } from '../history/change.type';
import { runVisibleTo } from './brief-run.read';
import { EventQueue } from './event-queue';
import { CloseCode, type LiveSession } from './live-session';

export const CHANGE_CHANNEL = 'dossier_change';
export const BRIEF_RUN_CHANNEL = 'dossier_brief_run';

/** After a batch that found changes held back by a transaction still running: look again this soon, then slower (ms). */
const HELD_BACK_RETRY_MS = [20, 50, 100, 250, 500, 1000];
/** Looked at this often even without notifications, in case one was missed (ms). */
const SAFETY_POLL_MS = 5_000;
/**
 * Runs finished this long before the listener was last known to work are read again when it listens again: writers'
 * clocks differ and a run's transaction commits after its finish time is taken (ms).
 */
const RUN_CATCH_UP_GRACE_MS = 120_000;
/** A run delivered is remembered this long, so a catch-up that reads it again does not deliver it twice (ms). */
const RUN_REMEMBERED_MS = 15 * 60_000;

interface Subscription<T> {
  session: LiveSession;
  queue: EventQueue<T>;
}

interface ChangeSubscription extends Subscription<Change> {
  filter: ChangeFilter | null;
}

interface RunSubscription extends Subscription<BriefRun> {
  definitionId: string;
}

export interface HubOptions {
  pageSize: PageSize;
  /** Most subscriptions one identity may hold on this instance at once. */
  perIdentity: number;
  log?: (line: string) => void;
}

const groupKey = (s: ChangeSubscription) => JSON.stringify([s.session.viewer, s.filter?.topic ?? null, s.filter?.types ?? null]);

/**
 * Delivers live updates to this instance's subscribers. The database notifies (from the writing transaction, whichever
 * instance wrote); the hub then reads what is new once per batch: the end of the changes feed, then, for each group
 * of subscribers that read alike (same identity, same filter), the feed's page between the last end and the new one,
 * read as that identity through the feed's own access-checked code. So markings are applied as they are when the
 * change is delivered, HIDDEN and REVEALED included, exactly as `changes` would show it. The position survives a lost
 * connection: after it listens again, the next batch delivers everything written meanwhile.
 */
export class LiveHub {
  private readonly changeSubscriptions = new Set<ChangeSubscription>();
  private readonly runSubscriptions = new Set<RunSubscription>();
  private readonly perIdentity = new Map<string, number>();
  /** Runs delivered lately, by id, with when they were delivered (oldest first). */
  private readonly deliveredRuns = new Map<string, number>();
  private position: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private retry: NodeJS.Timeout | undefined;
  private heldBackRetries = 0;
  private readonly poll: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: HubOptions,
  ) {
    this.poll = setInterval(() => this.wake(), SAFETY_POLL_MS);
    this.poll.unref();
  }

  /** How many subscriptions are open on this instance. */
  get size(): number {
    return this.changeSubscriptions.size + this.runSubscriptions.size;
  }

  /** A live subscription to the changes `filter` selects, from now on. */
  async changes(session: LiveSession, filter: ChangeFilter | null): Promise<EventQueue<Change>> {
    return this.subscribe(session, this.changeSubscriptions, async () => {
      // Checked as `changes` checks it (an unknown type is BAD_USER_INPUT), and where the feed ends now, if not known.
      const start = this.position ?? (await feedEnd(this.dataSource)).cursor;
      await changeFeed(this.dataSource, session.viewer, this.options.pageSize, { first: 0, after: start }, filter);
      this.position ??= start;
      return { session, filter };
    });
  }

  /** A live subscription to the runs of one definition the session may read, as each finishes. */
  async briefRunFinished(session: LiveSession, definition: string): Promise<EventQueue<BriefRun>> {
    return this.subscribe(session, this.runSubscriptions, async () => {
      const found = await findDefinition(this.dataSource.manager, session.viewer, definition, 'definition');
      return { session, definitionId: found.id };
    });
  }

  /** From the listener: something was written. */
  onNotification(channel: string, payload: string): void {
    if (channel === CHANGE_CHANNEL) this.wake();
    if (channel === BRIEF_RUN_CHANNEL) void this.deliverRun(payload);
  }

  /**
   * From the listener: listening (again), so catch up on what may have been written meanwhile: changes from the
   * position kept, and, after an outage, the runs that finished since the listener was last known to work.
   */
  onListening(downSince?: number): void {
    this.wake();
    if (downSince !== undefined) void this.catchUpRuns(downSince - RUN_CATCH_UP_GRACE_MS);
  }

  /** Looks for new changes now, once the batch running (if any) is done. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.batch()
      .catch((error) => {
        // Nothing is lost: the position stays where it was, and the next notification or poll reads on from it.
        if (!isDatabaseUnavailable(error)) this.options.log?.(`live updates: delivery failed: ${(error as Error)?.message ?? error}`);
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.retry);
    for (const s of [...this.changeSubscriptions, ...this.runSubscriptions]) void s.queue.return();
    await this.running;
  }

  /**
   * Opens a subscription once `prepare` has checked it. Its slot in the identity's budget is taken before anything is
   * awaited, so subscribes sent at once cannot all pass the check; and the session is checked again first (a key
   * revoked since the connection opened learns nothing more).
   */
  private async subscribe<T, S extends Subscription<T>>(session: LiveSession, set: Set<S>, prepare: () => Promise<Omit<S, 'queue'>>): Promise<EventQueue<T>> {
    const release = this.reserve(session.identity);
    try {
      if (!(await this.liveSessions([session])).has(session)) {
        throw new GraphQLError('These credentials are no longer valid.', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
      }
      const subscription = { ...(await prepare()) } as S;
      subscription.queue = new EventQueue<T>(() => {
        set.delete(subscription);
        release();
      });
      set.add(subscription);
      return subscription.queue;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Takes one of the identity's subscription slots (refused past its budget); returns how to give it back, once. */
  private reserve(identity: string): () => void {
    const held = this.perIdentity.get(identity) ?? 0;
    if (held >= this.options.perIdentity) {
      throw new GraphQLError(`Too many subscriptions: at most ${this.options.perIdentity} at once for each identity.`, {
        extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit: 'subscriptions', max: this.options.perIdentity },
      });
    }
    this.perIdentity.set(identity, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perIdentity.get(identity) ?? 1) - 1;
      if (left > 0) this.perIdentity.set(identity, left);
      else this.perIdentity.delete(identity);
    };
  }

  /** One batch: the feed's new end, then each group's changes up to it. */
  private async batch(): Promise<void> {
    clearTimeout(this.retry);
    // No one to deliver to: no query, and the next subscriber starts from the feed's end as it is then.
    if (!this.changeSubscriptions.size) {
      this.position = undefined;
      return;
    }
    const end = await feedEnd(this.dataSource);
    const from = this.position;
    if (from === undefined || !isAfter(end.cursor, from)) {
      this.position ??= end.cursor;
    } else {
      const subscribers = [...this.changeSubscriptions].filter((s) => s.queue.active);
      const live = await this.liveSessions(subscribers.map((s) => s.session));
      const groups = new Map<string, ChangeSubscription[]>();
      for (const s of subscribers.filter((s) => live.has(s.session))) {
        const key = groupKey(s);
        groups.set(key, [...(groups.get(key) ?? []), s]);
      }
      // Groups are read one after another: a burst of subscribers takes turns on the pool instead of filling it.
      for (const group of groups.values()) await this.deliverChanges(group, from, end.cursor);
      this.position = end.cursor;
    }
    // Committed changes behind a transaction still running are served once it ends: look again soon.
    if (end.heldBack && this.changeSubscriptions.size) {
      const delay = HELD_BACK_RETRY_MS[Math.min(this.heldBackRetries++, HELD_BACK_RETRY_MS.length - 1)];
      this.retry = setTimeout(() => this.wake(), delay);
    } else {
      this.heldBackRetries = 0;
    }
  }

  private async deliverChanges(group: ChangeSubscription[], from: string, until: string): Promise<void> {
    const { viewer } = group[0].session;
    let after = from;
    for (;;) {
      const page = await changeFeed(this.dataSource, viewer, this.options.pageSize, { first: this.options.pageSize.max, after }, group[0].filter, until);
      for (const change of page.nodes) for (const s of group) s.queue.push(change);
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
      after = page.pageInfo.endCursor;
    }
  }

  /** The finished runs of subscribed definitions whose notification may have been missed, delivered in finishing order. */
  private async catchUpRuns(since: number): Promise<void> {
    const definitions = [...new Set([...this.runSubscriptions].map((s) => s.definitionId))];
    if (!definitions.length) return;
    try {
      const runs: Array<{ definition_id: string; id: string }> = await this.dataSource.query(
        `SELECT definition_id, id FROM brief_run WHERE definition_id = ANY($1::uuid[]) AND status IN ('SUCCEEDED', 'FAILED') AND finished_at >= $2
         ORDER BY finished_at, id`,
        [definitions, new Date(since)],
      );
      for (const run of runs) await this.deliverRun(`${run.definition_id}:${run.id}`);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) this.options.log?.(`live updates: brief run catch-up failed: ${(error as Error)?.message ?? error}`);
    }
  }

  /** Whether the run was delivered already; if not, it is remembered as delivered from now. */
  private deliveredBefore(runId: string): boolean {
    const now = Date.now();
    for (const [id, at] of this.deliveredRuns) {
      if (at > now - RUN_REMEMBERED_MS) break;
      this.deliveredRuns.delete(id);
    }
    if (this.deliveredRuns.has(runId)) return true;
    this.deliveredRuns.set(runId, now);
    return false;
  }

  private async deliverRun(payload: string): Promise<void> {
    const [definitionId, runId] = payload.split(':');
    const subscribers = [...this.runSubscriptions].filter((s) => s.definitionId === definitionId && s.queue.active);
    if (!subscribers.length || this.deliveredBefore(runId)) return;
    try {
      const live = await this.liveSessions(subscribers.map((s) => s.session));
      const seen = new Map<string, Promise<BriefRun | null>>();
      for (const s of subscribers.filter((s) => live.has(s.session))) {
        // Read as each identity, once per identity: the run's marking, its contents and its definition decide.
        const key = JSON.stringify(s.session.viewer);
        if (!seen.has(key)) seen.set(key, runVisibleTo(this.dataSource, s.session.viewer, runId));
        const run = await seen.get(key)!;
        if (run) s.queue.push(run);
      }
    } catch (error) {
      // Not delivered: a catch-up may deliver it later.
      this.deliveredRuns.delete(runId);
      if (!isDatabaseUnavailable(error)) this.options.log?.(`live updates: brief run delivery failed: ${(error as Error)?.message ?? error}`);
    }
  }

  /**
   * The sessions that may still receive: tokens not expired, keys not revoked (one statement for all). The others are
   * closed, with their subscriptions.
   */
  private async liveSessions(sessions: LiveSession[]): Promise<Set<LiveSession>> {
    const distinct = [...new Set(sessions)];
    const hashes = [...new Set(distinct.flatMap((s) => (s.keyHash ? [s.keyHash] : [])))];
    const liveHashes = new Set<string>();
    if (hashes.length) {
      const rows: Array<{ hash: string }> = await this.dataSource.query(`SELECT hash FROM api_key WHERE hash = ANY($1::text[]) AND revoked_at IS NULL`, [
        hashes,
      ]);
      for (const row of rows) liveHashes.add(row.hash);
    }
    const now = Date.now();
    const live = new Set<LiveSession>();
    for (const session of distinct) {
      if (session.keyHash && !liveHashes.has(session.keyHash)) session.end(CloseCode.Unauthorized, 'API key revoked');
      else if (session.expiresAt !== undefined && session.expiresAt <= now) session.end(CloseCode.Unauthorized, 'token expired');
      else live.add(session);
    }
    return live;
  }
}
