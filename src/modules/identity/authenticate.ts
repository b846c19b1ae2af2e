import { GraphQLError } from 'graphql';
import type { Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { ANONYMOUS, type Viewer } from '../../common/viewer';
import { ErrorCode } from '../../common/errors';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { sendUnavailable } from '../../server/unavailable';
import { identityOfKey, KEY_PREFIX } from './api-key.service';
import { IdentityProviderUnavailable, type JwtVerifier } from './jwt';
import { requestLog } from '../../common/request-scope';

/** Refused before anything runs: the response is HTTP 401. */
export const unauthenticated = (message: string, status?: 401) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, ...(status ? { http: { status } } : {}) } });

export interface AuthOptions {
  /** `read`: requests without credentials read at TLP:CLEAR; `off`: they are refused. */
  anonymous: 'off' | 'read';
  /** Verifies tokens of an external identity provider, when one is configured. */
  jwt?: JwtVerifier;
}

const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** The viewer of a request, from its Authorization header. Bad credentials are refused, never downgraded to anonymous. */
export async function authenticate(dataSource: DataSource, authorization: string | undefined, options: AuthOptions): Promise<Viewer> {
  if (!authorization) {
    if (options.anonymous === 'read') return ANONYMOUS;
    throw unauthenticated('credentials required: send Authorization: Bearer <API key>', 401);
  }
  const [scheme, token] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthenticated('send Authorization: Bearer <API key>', 401);
  if (token.startsWith(KEY_PREFIX)) {
    const viewer = await identityOfKey(dataSource.manager, token);
    if (viewer) return viewer;
  } else if (options.jwt && looksLikeJwt(token)) {
    const viewer = await options.jwt(token);
    if (viewer) return viewer;
  }
  throw unauthenticated('unknown or revoked credentials', 401);
}

/**
 * Express middleware: who is asking, in `res.locals.viewer`, before anything else looks at the request. Refusals are
 * answered here, as GraphQL-shaped JSON with HTTP 401.
 */
export const identify =
  (dataSource: DataSource, options: AuthOptions, refused: (req: Request, res: Response) => Promise<boolean>): RequestHandler =>
  async (req, res, next) => {
    try {
      res.locals.viewer = await authenticate(dataSource, req.headers.authorization, options);
      next();
    } catch (error) {
      // Credentials that cannot be checked now (the database, or the identity provider, failing or slow) are neither
      // accepted nor refused: the client is told to retry, and it is not counted as a refused credential.
      if (error instanceof IdentityProviderUnavailable) return sendUnavailable(res, 'The identity provider cannot be reached just now: retry later.');
      if (!(error instanceof GraphQLError)) {
        if (!isDatabaseUnavailable(error)) requestLog().error({ err: error }, 'credential check failed');
        return sendUnavailable(res);
      }
      // Guessing keys costs a lookup each time: an address that keeps failing is told to wait (429).
      if (await refused(req, res)) return;
      res.status(401).json({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
    }
  };
