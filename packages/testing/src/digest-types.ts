/** Compact schema tree used for request validation (see scripts/codegen/emulator.ts). */
export interface ParamSchema {
  /** type */
  t?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array'
  /** required property names */
  r?: readonly string[]
  /** enum values */
  e?: readonly (string | number | boolean)[]
  /** maxLength */
  m?: number
  /** object properties */
  p?: Readonly<Record<string, ParamSchema>>
  /** additionalProperties schema (e.g. metadata values) */
  a?: ParamSchema
  /** array items */
  i?: ParamSchema
  /** anyOf alternatives */
  o?: readonly ParamSchema[]
}

export interface RouteDigest {
  /** operationId */
  id: string
  method: 'GET' | 'POST' | 'DELETE'
  /** path template, e.g. /v1/sources/{source} */
  path: string
  /** path param names in order */
  pathParams: readonly string[]
  /** query (GET/DELETE) or form body (POST) params as one object schema */
  params: ParamSchema
  /** callable with a publishable key */
  publishable?: true
}
