import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header a webhook's body is signed in: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'Dossier-Signature';

/** How old a signature a receiver should still accept (the README asks receivers for this window). */
export const REPLAY_WINDOW_SECONDS = 300;

/** A fresh signing secret: 32 random bytes, prefixed so it is recognisable in a receiver's configuration. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const mac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) => `t=${timestamp},v1=${mac(secret, timestamp, body)}`;

/**
 * What a receiver does: true when `header` signs `body` with `secret` and is at most REPLAY_WINDOW_SECONDS old.
 * Compare against the raw body as received, before any JSON parsing.
 */
export function verifySignature(secret: string, body: string, header: string | undefined, now = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > REPLAY_WINDOW_SECONDS || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  return timingSafeEqual(Buffer.from(parts.v1, 'hex'), Buffer.from(mac(secret, timestamp, body), 'hex'));
}
