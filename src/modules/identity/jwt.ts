import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { MARKINGS, type Marking } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { NAME, PRINCIPAL } from './api-key.service';
import { ROLES, type Role } from './role';

export interface JwtOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Claims that carry the identity. */
  claims: { principal: string; role: string; clearance: string; organisation: string };
}

// Signed by the identity provider's private key only: no shared-secret (HS*) or unsigned tokens.
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Tokens older than this are refused, whatever their expiry says. */
const MAX_TOKEN_AGE = '12h';

export type JwtVerifier = (token: string) => Promise<Viewer | null>;

/** The identity provider's keys could not be fetched in time: the token can be neither accepted nor refused now. */
export class IdentityProviderUnavailable extends Error {
  constructor() {
    super('the identity provider did not answer');
  }
}

/**
 * Tokens of an external identity provider, verified with jose against its JWKS (keys cached, refetched for an
 * unknown key id). A token that does not verify, or whose claims are missing or unknown, identifies nobody.
 */
export function jwtVerifier(options: JwtOptions): JwtVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ASYMMETRIC,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: MAX_TOKEN_AGE,
      }));
    } catch (error) {
      // A token that fails its checks identifies nobody; a key set that cannot be fetched says nothing of the token.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw new IdentityProviderUnavailable();
      return null;
    }
    const claim = (name: string) => (typeof payload[name] === 'string' ? payload[name] : undefined);
    const subject = claim(options.claims.principal);
    // Token identities live apart from key identities: a token cannot pass for a key, nor a key for a token.
    const principal = subject ? `jwt:${subject}` : undefined;
    const role = claim(options.claims.role);
    const clearance = claim(options.claims.clearance);
    const organisation = claim(options.claims.organisation) ?? null;
    if (!principal || !PRINCIPAL.test(principal) || (organisation !== null && !NAME.test(organisation))) return null;
    if (!ROLES.includes(role as Role) || !MARKINGS.includes(clearance as Marking)) return null;
    return { principal, organisation, role: role as Role, clearance: clearance as Marking };
  };
}
