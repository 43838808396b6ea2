/**
 * Route schemas from one definition. Each request body, querystring, params and headers shape is
 * a zod schema; `routeSchema()` turns it into the JSON Schema Fastify validates with (ajv, with the
 * app's options: no coercion, every error reported) and @fastify/swagger publishes at /docs, and
 * brands it with the zod type so handlers get their request types inferred through
 * `ZodJsonSchemaProvider` (no separate interface per body).
 *
 * Why not fastify-type-provider-zod (docs/decisions/route-schemas-from-zod.md): its validator
 * replaces ajv, so every validation message and error shape the API documents would change, and
 * its serializer turns a response that strays from its schema into a 500. Here ajv and
 * fast-json-stringify keep doing what they did; only the source of the schemas moved to zod.
 *
 * Must preserve: a schema here is JSON Schema draft-07 without `$schema` (ajv's default draft,
 * and the OpenAPI document must not carry it); request shapes use `io: 'input'` so defaults are
 * optional to the client.
 */
import type { FastifyTypeProvider } from 'fastify';
import { z } from 'zod';

declare const zodType: unique symbol;

/** A JSON Schema that remembers the type of the data it accepts (a type-level brand only). */
export type JsonSchemaOf<T> = { readonly [key: string]: unknown } & { readonly [zodType]?: T };

/** The JSON Schema of a zod schema, as Fastify and OpenAPI take it. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}

/** A request part (body, querystring, params, headers): validated by ajv, typed from zod. */
export function routeSchema<S extends z.ZodType>(schema: S): JsonSchemaOf<z.input<S>> {
  return jsonSchemaOf(schema, 'input') as JsonSchemaOf<z.input<S>>;
}

/** A response shape: serialized by fast-json-stringify, documented in OpenAPI. */
export function replySchema(schema: z.ZodType): Record<string, unknown> {
  return jsonSchemaOf(schema, 'input');
}

/**
 * Infers `request.body` (and query, params, headers) from a `routeSchema()`. Replies stay
 * untyped: presenters.ts builds them and fast-json-stringify keeps only declared fields.
 */
export interface ZodJsonSchemaProvider extends FastifyTypeProvider {
  validator: this['schema'] extends JsonSchemaOf<infer T> ? T : unknown;
  serializer: unknown;
}
