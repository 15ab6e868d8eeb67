// ajv, taught the Swagger keywords and formats Microsoft's contracts use, over
// every contract file converted for one direction (request or response).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { DefinitionIndex } from './definitions.js';
import type { SpecFile } from './spec-files.js';
import { SchemaTransformer, type Direction, type JsonSchema } from './swagger-schema.js';

// ajv-formats is CommonJS whose module.exports is the plugin function.
const addFormats = (ajvFormats as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

// Formats AutoRest defines (https://github.com/Azure/autorest/blob/main/docs/openapi/formats.md)
// that JSON Schema does not; oav checks int32/int64/unixtime/duration/date-time-rfc1123 and
// lets the rest through (oav lib/swaggerValidator/ajv.ts).
const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
const RFC1123 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?[0-3]\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d(?:\d\d)? (?:[0-2]\d:[0-5]\d(?::[0-5]\d)|23:59:60) (?:[A-Z]{1,3})?(?:[+-]\d\d\d\d)?$/;
const LENIENT_STRING_FORMATS = [
  'arm-id',
  'base64url',
  'char',
  'file',
  'binary',
  'byte',
  'password',
];
const LENIENT_NUMBER_FORMATS = ['double', 'float', 'decimal'];

function teachSwagger(ajv: Ajv2020): void {
  ajv.addFormat('int32', {
    type: 'number',
    validate: (x: number) => Number.isInteger(x) && x >= INT32.min && x <= INT32.max,
  });
  ajv.addFormat('int64', { type: 'number', validate: (x: number) => Number.isInteger(x) });
  ajv.addFormat('unixtime', { type: 'number', validate: (x: number) => Number.isInteger(x) });
  ajv.addFormat('date-time-rfc1123', { type: 'string', validate: RFC1123 });
  for (const format of LENIENT_STRING_FORMATS)
    ajv.addFormat(format, { type: 'string', validate: () => true });
  for (const format of LENIENT_NUMBER_FORMATS)
    ajv.addFormat(format, { type: 'number', validate: () => true });

  ajv.addKeyword({
    keyword: 'forbiddenHere',
    schemaType: 'string',
    error: { message: ({ schema }) => String(schema) },
    validate: (_reason: string, data: unknown) => data === null,
  });
  ajv.addKeyword({
    keyword: 'discriminatorValue',
    schemaType: 'array',
    error: { message: ({ schema }) => `names no known subtype (one of ${JSON.stringify(schema)})` },
    validate: (values: unknown[], data: unknown) =>
      typeof data !== 'string' || values.includes(data),
  });
  ajv.addKeyword({
    keyword: 'unresolvedRef',
    schemaType: 'string',
    error: { message: ({ schema }) => `contract defect: $ref ${String(schema)} does not resolve` },
    validate: () => false,
  });
}

/** "(root)" or the JSON pointer, then what is wrong, naming the offending property when ajv knows it. */
function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    params['unevaluatedProperty'] ?? params['additionalProperty'] ?? params['allowedValues'];
  const suffix = detail === undefined ? '' : `: ${JSON.stringify(detail)}`;
  return `${where} ${error.message ?? error.keyword}${suffix}`;
}

/**
 * The nullable wrapper (anyOf [null, S]) reports both branches; the branch that
 * matters is S, so the "must be null" half and the anyOf summary are noise, as
 * are `if` summaries of a polymorphic dispatch.
 */
const isNoise = (error: ErrorObject): boolean =>
  error.keyword === 'anyOf' ||
  error.keyword === 'if' ||
  (error.keyword === 'type' && (error.params as { type?: unknown }).type === 'null');

export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly transformer: SchemaTransformer;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(files: ReadonlyMap<string, SpecFile>, index: DefinitionIndex, direction: Direction) {
    this.ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      // Microsoft's patterns are .NET regular expressions; the unicode flag rejects some escapes they use.
      unicodeRegExp: false,
      logger: false,
    });
    addFormats(this.ajv);
    teachSwagger(this.ajv);
    this.transformer = new SchemaTransformer(index, direction);
    for (const file of files.values()) this.ajv.addSchema(this.transformer.fileDocument(file));
  }

  /** Converts an inline Swagger schema written in the file at `baseUri`. */
  inline(schema: Record<string, unknown>, baseUri: string): JsonSchema {
    return this.transformer.convertInline(schema, baseUri);
  }

  /** Problems of `value` against an already converted schema; `cacheKey` names it for reuse. */
  problems(cacheKey: string, schema: JsonSchema, value: unknown): string[] {
    let validate = this.compiled.get(cacheKey);
    if (validate === undefined) {
      try {
        validate = this.ajv.compile(typeof schema === 'boolean' ? schema : { ...schema });
      } catch (error) {
        return [`(contract) cannot compile ${cacheKey}: ${(error as Error).message}`];
      }
      this.compiled.set(cacheKey, validate);
    }
    if (validate(value)) return [];
    return [...new Set((validate.errors ?? []).filter((e) => !isNoise(e)).map(describe))];
  }
}
