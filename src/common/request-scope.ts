import { AsyncLocalStorage } from 'node:async_hooks';
import { logger, type Logger } from './logger';

/** Statements kept per request for the slow-operation log; a request that sends more keeps its first ones. */
const MAX_STATEMENTS = 50;

/** What the service knows of the request being served, wherever its work runs (SQL, errors). */
export interface RequestScope {
  id: string;
  /** The logger of this request: every line carries its `requestId`. */
  readonly log: Logger;
  /** The GraphQL operation, once Apollo has resolved it. */
  operation?: { name: string | null; type: string };
  /** The SQL text of the statements sent for it (never their parameters), and the time spent waiting for them. */
  statements: Array<{ sql: string; ms: number }>;
  sqlMs: number;
  /** Set once Apollo answered a query with data and no errors: the response cache may keep the answer. */
  answeredQuery?: boolean;
  /** The root fields' answers as PostgreSQL wrote them, spliced into Apollo's body when it is sent (fast path). */
  compiledTexts?: string[];
  /**
   * Root fields whose fast-path statement found nothing, timed out or met a database away, by response key: the
   * normal path takes that outcome rather than send the statement again (read/reader.ts).
   */
  rootOutcomes?: Map<string, RootOutcome>;
}

export type RootOutcome = { result: null } | { error: unknown };

const storage = new AsyncLocalStorage<RequestScope>();

class Scope implements RequestScope {
  operation?: RequestScope['operation'];
  answeredQuery?: boolean;
  compiledTexts?: string[];
  rootOutcomes?: Map<string, RootOutcome>;
  statements: RequestScope['statements'] = [];
  sqlMs = 0;
  private logger: Logger | undefined;

  constructor(readonly id: string) {}

  // Made on first use: most requests log nothing but their last line.
  get log(): Logger {
    return (this.logger ??= logger.child({ requestId: this.id }));
  }
}

export const newRequestScope = (id: string): RequestScope => new Scope(id);

export const runInRequestScope = <T>(scope: RequestScope, work: () => T): T => storage.run(scope, work);

export const currentRequest = (): RequestScope | undefined => storage.getStore();

/** The logger of the request being served, or the service's outside one. */
export const requestLog = (): Logger => storage.getStore()?.log ?? logger;

/** Counts a statement's time against the request it was sent for (`currentRequest()` when it was sent), if any. */
export function recordStatement(scope: RequestScope | undefined, sql: string, ms: number): void {
  if (!scope) return;
  scope.sqlMs += ms;
  if (scope.statements.length < MAX_STATEMENTS) scope.statements.push({ sql, ms: Math.round(ms * 10) / 10 });
}
