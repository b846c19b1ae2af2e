import 'reflect-metadata';
import type { ClassType } from 'type-graphql';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolver methods of any signature; type-graphql passes their arguments
type Method = (...args: any[]) => unknown;
type ParameterDecorator = (prototype: object, name: string, index: number) => void;
type MethodDecorator = (prototype: object, name: string, descriptor: PropertyDescriptor) => void;

/**
 * Declares `method` as `name` on `target` with its parameter and method decorators, as `@Decorator` syntax would:
 * resolvers derived from the registry are built in a loop, one field per declaration.
 */
export function defineMethod(target: ClassType, name: string, method: Method, params: ParameterDecorator[], decorators: MethodDecorator | MethodDecorator[]) {
  Object.defineProperty(target.prototype, name, { value: method, writable: true, configurable: true });
  Reflect.defineMetadata(
    'design:paramtypes',
    params.map(() => Object),
    target.prototype,
    name,
  );
  params.forEach((param, index) => param(target.prototype, name, index));
  for (const decorate of [decorators].flat()) decorate(target.prototype, name, Object.getOwnPropertyDescriptor(target.prototype, name)!);
}
