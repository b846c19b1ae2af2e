import { badUserInput } from './errors';

/** An ISO 3166-1 alpha-2 code as written ("kp" is KP); BAD_USER_INPUT naming `path` otherwise. */
export function countryCode(code: string | null | undefined, path: string): string | null {
  if (code === null || code === undefined) return null;
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) throw badUserInput(path, 'an ISO 3166-1 alpha-2 code such as KP');
  return upper;
}
