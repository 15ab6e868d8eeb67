// What one Swagger definition needs to know about the others: where a $ref
// leads, and which definitions derive from a polymorphic base. Swagger 2.0
// polymorphism is a `discriminator` property on the base and `allOf: [base]` on
// each subtype, named by `x-ms-discriminator-value` or else by its definition
// name: https://github.com/Azure/autorest/blob/main/docs/extensions/readme.md#x-ms-discriminator-value
import { absoluteRef, type SpecFile, type SwaggerSchema } from './spec-files.js';

export interface DefinitionKey {
  readonly uri: string;
  readonly name: string;
}

export interface Subtype extends DefinitionKey {
  /** The discriminator value that selects this subtype. */
  readonly value: string;
}

const DEFINITION_POINTER = /^\/definitions\/([^/]+)$/;

export class DefinitionIndex {
  private readonly children = new Map<string, DefinitionKey[]>();

  constructor(private readonly files: ReadonlyMap<string, SpecFile>) {
    for (const file of files.values()) {
      for (const [name, schema] of Object.entries(file.doc.definitions ?? {})) {
        for (const parent of this.allOfParents({ uri: file.uri, name }, schema)) {
          const key = keyOf(parent);
          this.children.set(key, [...(this.children.get(key) ?? []), { uri: file.uri, name }]);
        }
      }
    }
  }

  get(key: DefinitionKey): SwaggerSchema | undefined {
    return this.files.get(key.uri)?.doc.definitions?.[key.name];
  }

  /** The definition a `$ref` names, or undefined when it names no definition that exists. */
  resolve(ref: string, baseUri: string): DefinitionKey | undefined {
    const target = absoluteRef(ref, baseUri);
    const name = DEFINITION_POINTER.exec(target.pointer)?.[1];
    if (name === undefined) return undefined;
    const key = { uri: target.uri, name };
    return this.get(key) === undefined ? undefined : key;
  }

  /** The schema behind `schema` when it is a `$ref` to a definition; `schema` itself otherwise. */
  deref(schema: SwaggerSchema, baseUri: string): { schema: SwaggerSchema; uri: string } {
    if (typeof schema['$ref'] !== 'string') return { schema, uri: baseUri };
    const key = this.resolve(schema['$ref'], baseUri);
    const target = key && this.get(key);
    return target ? { schema: target, uri: key.uri } : { schema, uri: baseUri };
  }

  /** The discriminator property that governs `key`: its own, or the nearest base's. */
  discriminator(key: DefinitionKey, seen = new Set<string>()): string | undefined {
    const schema = this.get(key);
    if (!schema || seen.has(keyOf(key))) return undefined;
    seen.add(keyOf(key));
    if (typeof schema['discriminator'] === 'string') return schema['discriminator'];
    for (const parent of this.allOfParents(key, schema)) {
      const found = this.discriminator(parent, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every definition deriving from `key` (transitively), with the value that selects it. */
  subtypes(key: DefinitionKey): Subtype[] {
    const found: Subtype[] = [];
    const seen = new Set<string>([keyOf(key)]);
    const walk = (parent: DefinitionKey): void => {
      for (const child of this.children.get(keyOf(parent)) ?? []) {
        if (seen.has(keyOf(child))) continue;
        seen.add(keyOf(child));
        found.push({ ...child, value: this.discriminatorValue(child) });
        walk(child);
      }
    };
    walk(key);
    return found;
  }

  discriminatorValue(key: DefinitionKey): string {
    const value = this.get(key)?.['x-ms-discriminator-value'];
    return typeof value === 'string' ? value : key.name;
  }

  private allOfParents(key: DefinitionKey, schema: SwaggerSchema): DefinitionKey[] {
    const allOf = Array.isArray(schema['allOf']) ? (schema['allOf'] as SwaggerSchema[]) : [];
    return allOf.flatMap((part) =>
      typeof part['$ref'] === 'string' ? (this.resolve(part['$ref'], key.uri) ?? []) : [],
    );
  }
}

export const keyOf = (key: DefinitionKey): string => `${key.uri}#${key.name}`;
