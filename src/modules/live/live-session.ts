import type { Viewer } from '../../common/viewer';

/** Close codes of the graphql-ws protocol (and WebSocket's own) that Dossier sends. */
export const CloseCode = {
  /** No credentials where they are required, or credentials refused, revoked or expired. */
  Unauthorized: 4401,
  /** Credentials not allowed here: a key sent from a page that may not send one. */
  Forbidden: 4403,
  /** Too many refused credentials from the client's address. */
  TooManyRequests: 4429,
  /** The database, or the identity provider, cannot check credentials now: connect again later. */
  TryAgainLater: 1013,
  GoingAway: 1001,
} as const;

/** One authenticated WebSocket connection, as the live hub sees it. */
export interface LiveSession {
  viewer: Viewer;
  /** Whose budget its subscriptions count against: the principal, or the client address when anonymous. */
  identity: string;
  /** SHA-256 of the API key it authenticated with: checked again before each delivery (revocation is immediate). */
  keyHash?: string;
  /** When its token expires (ms since the epoch): nothing is delivered after it. */
  expiresAt?: number;
  /** Closes the connection. */
  end(code: number, reason: string): void;
}
