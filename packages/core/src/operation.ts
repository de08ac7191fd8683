import type { GenericSchema } from 'valibot'

export type HttpMethod = 'GET' | 'POST' | 'DELETE'

/**
 * Who may call an operation:
 * - `secret`: a secret or restricted key only;
 * - `publishable`: a publishable key too;
 * - `client_secret`: a publishable key too, when the params carry the object's `client_secret`.
 */
export type OperationAuth = 'secret' | 'publishable' | 'client_secret'

/** `'/v1/sources/{source}'` → `'source'`. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never

export interface Operation<P extends string = string, I = any, O = any> {
  readonly operationId: string
  /** The function that calls it (`createOutboundPayment`): errors name it. Default: the operationId. */
  readonly name?: string
  readonly method: HttpMethod
  /** Path template with `{name}` placeholders, e.g. `/v1/sources/{source}`. */
  readonly path: P
  /** Query (GET/DELETE) or form body (POST) params. */
  readonly params: GenericSchema<I, any>
  readonly response: GenericSchema<any, O>
  readonly auth: OperationAuth
  /** `files` for `files.stripe.com` operations. Default `api`. */
  readonly host?: 'api' | 'files'
}

export type OperationParams<Op> = Op extends Operation<string, infer I, any> ? I : never
export type OperationResult<Op> = Op extends Operation<string, any, infer O> ? O : never
export type OperationPath<Op> = Op extends Operation<infer P, any, any> ? P : never

/** An operation whose `auth` is known (what `defineOperation` returns; generated code spells it out). */
export type DefinedOperation<P extends string, I, O, A extends OperationAuth = OperationAuth> = Operation<P, I, O> & {
  readonly auth: A
}

/** Declares an operation. Returns it unchanged: a typed value (keeping its `auth` literal) with no runtime work. */
/* @__NO_SIDE_EFFECTS__ */
export function defineOperation<const P extends string, I, O, const A extends OperationAuth = OperationAuth>(
  operation: DefinedOperation<P, I, O, A>,
): DefinedOperation<P, I, O, A> {
  return operation
}
