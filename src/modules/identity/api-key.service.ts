import { createHash, randomBytes } from 'node:crypto';
import { v4 as uuid } from 'uuid';
import { IsNull, type EntityManager } from 'typeorm';
import { badUserInput, conflict, forbidden, notFound } from '../../common/errors';
import { Marking, MARKINGS } from '../../common/marking';
import type { Viewer } from '../../common/viewer';
import { fromGlobalId } from '../../read/global-id';
import { ApiKey } from './api-key.entity';
import type { Role } from './role';

export const KEY_PREFIX = 'dsk_';
/** Key names and organisations: plain names, so they can never smuggle SQL or markup anywhere. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
/**
 * Principals, which TLP:RED audiences list: "<organisation>/<key name>" for keys, "jwt:<subject>" for tokens. The two
 * never collide, and an admin can only mint principals of their own organisation.
 */
export const PRINCIPAL = /^[A-Za-z0-9][A-Za-z0-9._@:/|-]{0,255}$/;

export const keyPrincipal = (name: string, organisation: string | null | undefined) => (organisation ? `${organisation}/${name}` : name);
const UNIQUE_VIOLATION = '23505';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface NewKey {
  name: string;
  role: Role;
  clearance: Marking;
  organisation?: string | null;
}

/** Stores a new key and returns it with the secret, which is never stored nor shown again. */
export async function createKey(em: EntityManager, input: NewKey, path = 'input'): Promise<{ key: string; apiKey: ApiKey }> {
  const field = (name: string) => (path ? `${path}.${name}` : name);
  if (!NAME.test(input.name)) throw badUserInput(field('name'), 'letters, digits and . _ @ : - only, at most 128');
  // "" is refused too, not stored as an organisation without a name.
  if (input.organisation != null && !NAME.test(input.organisation)) throw badUserInput(field('organisation'), 'letters, digits and . _ @ : - only');
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const apiKey = Object.assign(new ApiKey(), {
    id: uuid(),
    name: input.name,
    principal: keyPrincipal(input.name, input.organisation),
    prefix: key.slice(0, 12),
    hash: hashKey(key),
    role: input.role,
    clearance: input.clearance,
    organisation: input.organisation ?? null,
    revokedAt: null,
  });
  try {
    await em.insert(ApiKey, apiKey);
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
      throw conflict(`a key named "${input.name}" exists in ${input.organisation ? 'this organisation' : 'the service'}`);
    }
    throw error;
  }
  return { key, apiKey: await em.findOneByOrFail(ApiKey, { id: apiKey.id }) };
}

/** An admin hands out at most their own clearance, within their own organisation (so keys need one). */
export function checkGrant(admin: Viewer, input: NewKey): void {
  if (!admin.organisation) throw forbidden('an admin without an organisation cannot create keys; use npm run keys');
  if (MARKINGS.indexOf(input.clearance) > MARKINGS.indexOf(admin.clearance)) {
    throw badUserInput('input.clearance', `cannot grant more than your own clearance (${admin.clearance})`);
  }
  if ((input.organisation ?? admin.organisation) !== admin.organisation) {
    throw badUserInput('input.organisation', 'keys are created within your own organisation');
  }
}

/**
 * Keys an admin manages: those of their organisation (without one, only their own) and at most their own clearance.
 * Others do not exist for them: a key above them is NOT_FOUND, and not listed.
 */
export const manages = (admin: Viewer, key: ApiKey) =>
  (admin.organisation ? key.organisation === admin.organisation : key.principal === admin.principal) &&
  MARKINGS.indexOf(key.clearance) <= MARKINGS.indexOf(admin.clearance);

/** Revokes a key the admin manages; others are NOT_FOUND. */
export async function revokeKey(em: EntityManager, globalId: string, admin: Viewer): Promise<ApiKey> {
  const { id } = fromGlobalId(globalId, 'id', ['ApiKey']);
  const apiKey = await em.findOneBy(ApiKey, { id });
  if (!apiKey || !manages(admin, apiKey)) throw notFound(`ApiKey ${globalId}`);
  if (!apiKey.revokedAt) await em.update(ApiKey, { id }, { revokedAt: new Date() });
  return em.findOneByOrFail(ApiKey, { id });
}

/** The identity of a live key, or null for an unknown or revoked one. Read on every request: revocation is immediate. */
export async function identityOfKey(em: EntityManager, key: string): Promise<Viewer | null> {
  const apiKey = await em.findOneBy(ApiKey, { hash: hashKey(key), revokedAt: IsNull() });
  if (!apiKey) return null;
  return { principal: apiKey.principal, organisation: apiKey.organisation, role: apiKey.role, clearance: apiKey.clearance };
}
