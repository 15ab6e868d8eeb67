// Turns Swagger 2.0 schemas (draft-04-like, with Microsoft's x-ms-* extensions)
// into JSON Schema 2020-12 for ajv, with the semantics Microsoft's own
// validator gives them (oav, which checks every example and live traffic
// against these contracts: https://github.com/Azure/oav):
// - a non-required property, an array item and a map value may be null unless
//   `x-nullable: false` (oav lib/transform/nullableTransformer.ts);
// - `type: object` with neither properties nor additionalProperties means any
//   value (oav pureObjectTransformer; AutoRest's "any"), which is how
//   Resource Graph's `data` holds an array;
// - an object with properties admits no others, except a polymorphic base
//   (oav noAdditionalPropertiesTransformer). unevaluatedProperties does what
//   oav's allOf flattening plus additionalProperties:false does, across allOf;
// - `discriminator` picks the subtype whose value the payload names (oav
//   discriminatorTransformer);
// - `readOnly` may not be sent in a request, `x-ms-secret` may not come back
//   in a response, `x-ms-mutability` limits either (oav swaggerValidator/ajv.ts);
// - an enum with `x-ms-enum.modelAsString: true` is open: any string, since
//   the service may add values (https://github.com/Azure/autorest/blob/main/docs/extensions/readme.md#x-ms-enum;
//   oav skips ENUM_MISMATCH for it). Microsoft's own examples rely on it
//   ("persistence" where the list has "Persistence", 2021-06-01 assessment metadata).
import type { DefinitionIndex, DefinitionKey } from './definitions.js';
import type { SpecFile, SwaggerSchema } from './spec-files.js';

export type Direction = 'request' | 'response';
export type JsonSchema = { [key: string]: unknown } | boolean;

/** Where a converted definition lives: `<file URL>#/$defs/<name>` (closed) or `<name>:open`. */
export function defsRef(key: DefinitionKey, open: boolean): string {
  const name = open ? `${key.name}:open` : key.name;
  return `${key.uri}#/$defs/${encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'))}`;
}

const COPIED = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

type Position = 'value' | 'part';

const isObject = (value: unknown): value is SwaggerSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const schemaList = (value: unknown): SwaggerSchema[] =>
  Array.isArray(value) ? value.filter(isObject) : [];

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export class SchemaTransformer {
  constructor(
    private readonly index: DefinitionIndex,
    private readonly direction: Direction,
  ) {}

  /** One file's definitions as a schema document ajv can load: `{$id, $defs}`. */
  fileDocument(file: SpecFile): { $id: string; $defs: Record<string, JsonSchema> } {
    const $defs: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(file.doc.definitions ?? {})) {
      const key = { uri: file.uri, name };
      $defs[`${name}:open`] = this.convert(schema, file.uri, 'part');
      $defs[name] = this.publicForm(key, schema);
    }
    return { $id: file.uri, $defs };
  }

  /** An inline schema of `baseUri` (a parameter's or response's), in value position. */
  convertInline(schema: SwaggerSchema, baseUri: string): JsonSchema {
    return this.convert(schema, baseUri, 'value');
  }

  /** The form other schemas reference: polymorphic dispatch, closed when oav closes it. */
  private publicForm(key: DefinitionKey, schema: SwaggerSchema): JsonSchema {
    const parts: JsonSchema[] = [{ $ref: defsRef(key, true) }];
    const property = this.index.discriminator(key);
    const subtypes = property === undefined ? [] : this.index.subtypes(key);
    if (property !== undefined) {
      for (const subtype of subtypes) {
        parts.push({
          if: { properties: { [property]: { const: subtype.value } }, required: [property] },
          then: { $ref: defsRef(subtype, true) },
        });
      }
      if (schema['discriminator'] === property) {
        const known = [this.index.discriminatorValue(key), ...subtypes.map((s) => s.value)];
        parts.push({ properties: { [property]: { discriminatorValue: known } } });
      }
    }
    const closed =
      schema['discriminator'] === undefined &&
      subtypes.length === 0 &&
      this.closable(schema, key.uri);
    const [openForm] = parts;
    if (parts.length === 1 && !closed && openForm !== undefined) return openForm;
    return closed ? { allOf: parts, unevaluatedProperties: false } : { allOf: parts };
  }

  private convert(schema: SwaggerSchema, baseUri: string, position: Position): JsonSchema {
    if (typeof schema['$ref'] === 'string') return this.convertRef(schema, baseUri, position);
    const out: Record<string, unknown> = {};
    const type = schema['type'];
    if (typeof type === 'string' && type !== 'file' && !(type === 'object' && this.isAny(schema))) {
      out['type'] = type;
    }
    for (const keyword of COPIED) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
    // Swagger 2.0 is draft-04: exclusiveMinimum/Maximum are booleans beside minimum/maximum.
    for (const [flag, limit] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (schema[flag] === true && typeof schema[limit] === 'number') {
        out[flag] = schema[limit];
        delete out[limit];
      }
    }
    if (Array.isArray(schema['enum'])) {
      const xmsEnum = schema['x-ms-enum'];
      if (!isObject(xmsEnum) || xmsEnum['modelAsString'] !== true) out['enum'] = schema['enum'];
    }
    const forbidden = this.forbiddenReason(schema);
    if (forbidden !== undefined) out['forbiddenHere'] = forbidden;
    this.convertObjectKeywords(schema, baseUri, out);
    if (Array.isArray(schema['allOf'])) {
      out['allOf'] = schemaList(schema['allOf']).map((part) => this.convert(part, baseUri, 'part'));
    }
    for (const combinator of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(schema[combinator])) {
        out[combinator] = schemaList(schema[combinator]).map((p) =>
          this.convert(p, baseUri, 'value'),
        );
      }
    }
    if (
      position === 'value' &&
      schema['discriminator'] === undefined &&
      this.closable(schema, baseUri)
    ) {
      out['unevaluatedProperties'] = false;
    }
    return out;
  }

  private convertObjectKeywords(
    schema: SwaggerSchema,
    baseUri: string,
    out: Record<string, unknown>,
  ): void {
    const required = this.requiredOf(schema, baseUri);
    if (isObject(schema['properties'])) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, property] of Object.entries(schema['properties'])) {
        if (!isObject(property)) continue;
        const converted = this.convert(property, baseUri, 'value');
        const nullable = this.nullability(property, baseUri) ?? !required.has(name);
        properties[name] = nullable ? orNull(converted) : converted;
      }
      out['properties'] = properties;
    }
    const ownRequired = stringList(schema['required']).filter((name) =>
      this.mustBePresent(schema, name, baseUri),
    );
    if (ownRequired.length > 0) out['required'] = ownRequired;
    const additional = schema['additionalProperties'];
    if (typeof additional === 'boolean') out['additionalProperties'] = additional;
    else if (isObject(additional)) {
      const converted = this.convert(additional, baseUri, 'value');
      out['additionalProperties'] =
        this.nullability(additional, baseUri) === false ? converted : orNull(converted);
    }
    if (isObject(schema['items'])) {
      const converted = this.convert(schema['items'], baseUri, 'value');
      out['items'] =
        this.nullability(schema['items'], baseUri) === false ? converted : orNull(converted);
    }
  }

  private convertRef(schema: SwaggerSchema, baseUri: string, position: Position): JsonSchema {
    const ref = schema['$ref'] as string;
    const key = this.index.resolve(ref, baseUri);
    if (key === undefined) return { unresolvedRef: `${ref} (from ${baseUri})` };
    const target: JsonSchema = { $ref: defsRef(key, position === 'part') };
    // Swagger 2.0 ignores a $ref's siblings, but AutoRest reads readOnly/x-ms-* there and
    // Microsoft's files rely on it: https://github.com/Azure/autorest/blob/main/docs/openapi/howto/$ref-siblings.md
    const forbidden = this.forbiddenReason(schema);
    return forbidden === undefined ? target : { allOf: [target], forbiddenHere: forbidden };
  }

  /** Why a value may not appear in this direction at all, if it may not. */
  private forbiddenReason(schema: SwaggerSchema): string | undefined {
    const mutability = stringList(schema['x-ms-mutability']);
    if (this.direction === 'request') {
      if (schema['readOnly'] === true) return 'is read-only and may not be sent in a request';
      if (mutability.length > 0 && !mutability.includes('create') && !mutability.includes('update'))
        return 'has x-ms-mutability without create/update and may not be sent in a request';
    } else {
      if (schema['x-ms-secret'] === true)
        return 'is a secret (x-ms-secret) and may not be returned';
      if (mutability.length > 0 && !mutability.includes('read'))
        return 'has x-ms-mutability without read and may not be returned';
    }
    return undefined;
  }

  /** A required property that this direction forbids is not required in it (oav shouldSkipError). */
  private mustBePresent(schema: SwaggerSchema, name: string, baseUri: string): boolean {
    const properties = isObject(schema['properties']) ? schema['properties'] : {};
    const property = properties[name];
    if (!isObject(property)) return true;
    return (
      this.forbiddenReason(this.index.deref(property, baseUri).schema) === undefined &&
      this.forbiddenReason(property) === undefined
    );
  }

  /** `x-nullable` of a schema or of the definition it references; undefined when unsaid. */
  private nullability(schema: SwaggerSchema, baseUri: string): boolean | undefined {
    const own = schema['x-nullable'];
    if (typeof own === 'boolean') return own;
    const target = this.index.deref(schema, baseUri).schema['x-nullable'];
    return typeof target === 'boolean' ? target : undefined;
  }

  private isAny(schema: SwaggerSchema): boolean {
    const properties = schema['properties'];
    return (
      (!isObject(properties) || Object.keys(properties).length === 0) &&
      schema['additionalProperties'] === undefined
    );
  }

  /** Required names of a schema and of everything it composes with allOf. */
  private requiredOf(
    schema: SwaggerSchema,
    baseUri: string,
    seen = new Set<unknown>(),
  ): Set<string> {
    const names = new Set(stringList(schema['required']));
    if (seen.has(schema)) return names;
    seen.add(schema);
    for (const part of schemaList(schema['allOf'])) {
      const target = this.index.deref(part, baseUri);
      for (const name of this.requiredOf(target.schema, target.uri, seen)) names.add(name);
    }
    return names;
  }

  /** Declares properties (itself or through allOf) and never opens itself to others. */
  private closable(schema: SwaggerSchema, baseUri: string, seen = new Set<unknown>()): boolean {
    if (seen.has(schema)) return false;
    seen.add(schema);
    if (schema['additionalProperties'] !== undefined) return false;
    let declares = isObject(schema['properties']) && Object.keys(schema['properties']).length > 0;
    for (const part of schemaList(schema['allOf'])) {
      const target = this.index.deref(part, baseUri);
      if (target.schema['additionalProperties'] !== undefined) return false;
      if (this.closable(target.schema, target.uri, seen)) declares = true;
      else if (this.opensItself(target.schema, target.uri)) return false;
    }
    return declares;
  }

  private opensItself(schema: SwaggerSchema, baseUri: string, seen = new Set<unknown>()): boolean {
    if (seen.has(schema)) return false;
    seen.add(schema);
    if (schema['additionalProperties'] !== undefined) return true;
    return schemaList(schema['allOf']).some((part) => {
      const target = this.index.deref(part, baseUri);
      return this.opensItself(target.schema, target.uri, seen);
    });
  }
}

const orNull = (schema: JsonSchema): JsonSchema => ({ anyOf: [{ type: 'null' }, schema] });
