import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errors';

/** Events a subscriber may have waiting before it counts as stalled and its subscription ends. */
export const MAX_PENDING_EVENTS = 1000;

/**
 * The events of one subscription, as the async iterator graphql-js reads: pushed by the dispatcher, taken by the
 * socket. `return()` (the client completed, or the socket closed) ends it and calls `onEnd` once. A subscriber that
 * lets MAX_PENDING_EVENTS pile up is ended with an error rather than holding memory without bound.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly pending: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((error: Error) => void) | undefined;
  private failure: Error | undefined;
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  get active(): boolean {
    return !this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.pending.length >= MAX_PENDING_EVENTS) {
      this.fail(
        new GraphQLError('The subscription fell too far behind its events and was ended: subscribe again.', {
          extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit: 'pendingEvents' },
        }),
      );
      return;
    }
    this.pending.push(value);
  }

  /** Ends the subscription with an error (sent to the client as the operation's error). */
  fail(error: Error): void {
    if (this.ended) return;
    this.failure = error;
    this.finish();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = this.failWaiting = undefined;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.pending.length) return Promise.resolve({ value: this.pending.shift()!, done: false });
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    this.pending.length = 0;
    this.failure = undefined;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = this.failWaiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
