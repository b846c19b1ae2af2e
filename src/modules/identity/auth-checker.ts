import type { AuthChecker } from 'type-graphql';
import { forbidden } from '../../common/errors';
import type { Context } from '../../server/context';
import { unauthenticated } from './authenticate';
import { hasRole, type Role } from './role';

/** `@Authorized(Role.X)`: UNAUTHENTICATED without an identity, FORBIDDEN without the role. */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  if (!context.viewer.principal) throw unauthenticated('this needs an identity: send Authorization: Bearer <API key>');
  const needed = roles[0];
  if (needed && !hasRole(context.viewer.role, needed)) {
    throw forbidden(`this needs the ${needed} role`);
  }
  return true;
};
