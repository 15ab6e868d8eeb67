// The operations the contracts declare, and how a request finds its operation:
// by method and path template, case-insensitively as ARM routes. A parameter
// marked `x-ms-skip-url-encoding` ({scope}, {resourceId}) stands for a whole
// resource id, slashes included (oav lib/transform/pathRegexTransformer.ts does
// the same for such leading parameters).
import { absoluteRef, atPointer, type SpecFile, type SwaggerSchema } from './spec-files.js';

export interface ContractParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'body' | 'formData';
  readonly required: boolean;
  /** The parameter object itself (type/format/pattern… for non-body parameters). */
  readonly raw: SwaggerSchema;
  /** The body schema, for `in: body`. */
  readonly schema?: SwaggerSchema;
  /** The file the parameter was declared in: its schema's $refs resolve against it. */
  readonly baseUri: string;
}

export interface ContractOperation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  /** The contract file, relative to the specs folder. */
  readonly file: string;
  readonly fileUri: string;
  /** `info.version`: the api-version the operation is served at. */
  readonly apiVersion: string;
  readonly parameters: readonly ContractParameter[];
  /** Status code (or "default") → response schema, undefined when the response has no body. */
  readonly responses: ReadonlyMap<string, SwaggerSchema | undefined>;
  /** Example name → absolute file path, as x-ms-examples lists them. */
  readonly examples: Readonly<Record<string, string>>;
  readonly matcher: RegExp;
  readonly pathParameterNames: readonly string[];
  /** Ranking: fewer whole-id parameters, then more literal characters, wins. */
  readonly rank: readonly [number, number];
}

export interface OperationMatch {
  readonly operation: ContractOperation;
  readonly pathParameters: Readonly<Record<string, string>>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head'];

function resolveParameter(
  raw: SwaggerSchema,
  file: SpecFile,
  files: ReadonlyMap<string, SpecFile>,
) {
  if (typeof raw['$ref'] !== 'string') return { parameter: raw, baseUri: file.uri };
  const target = absoluteRef(raw['$ref'], file.uri);
  const parameter = atPointer(files.get(target.uri)?.doc, target.pointer);
  if (parameter === undefined || parameter === null || typeof parameter !== 'object') {
    throw new Error(`${file.rel}: parameter $ref ${raw['$ref']} does not resolve`);
  }
  return { parameter: parameter as SwaggerSchema, baseUri: target.uri };
}

function toParameter(parameter: SwaggerSchema, baseUri: string): ContractParameter {
  const schema = parameter['schema'];
  return {
    name: String(parameter['name']),
    in: parameter['in'] as ContractParameter['in'],
    required: parameter['required'] === true,
    raw: parameter,
    ...(typeof schema === 'object' && schema !== null ? { schema: schema as SwaggerSchema } : {}),
    baseUri,
  };
}

function buildMatcher(template: string, parameters: readonly ContractParameter[]) {
  const names: string[] = [];
  let wholeIds = 0;
  let literals = 0;
  const source = template
    .split(/(\{[^}]+\})/)
    .map((piece) => {
      const name = /^\{([^}]+)\}$/.exec(piece)?.[1];
      if (name === undefined) {
        literals += piece.length;
        return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(name);
      const whole = parameters.some(
        (p) => p.in === 'path' && p.name === name && p.raw['x-ms-skip-url-encoding'] === true,
      );
      if (whole) wholeIds += 1;
      return whole ? '(.+?)' : '([^/]+)';
    })
    .join('');
  return {
    matcher: new RegExp(`^${source}/?$`, 'i'),
    names,
    rank: [wholeIds, -literals] as [number, number],
  };
}

/** Every operation of every contract file. */
export function contractOperations(files: ReadonlyMap<string, SpecFile>): ContractOperation[] {
  const operations: ContractOperation[] = [];
  for (const file of files.values()) {
    for (const [template, item] of Object.entries(file.doc.paths ?? {})) {
      const shared = Array.isArray(item['parameters'])
        ? (item['parameters'] as SwaggerSchema[])
        : [];
      for (const method of METHODS) {
        const operation = item[method] as SwaggerSchema | undefined;
        if (operation === undefined) continue;
        const own = Array.isArray(operation['parameters'])
          ? (operation['parameters'] as SwaggerSchema[])
          : [];
        const byKey = new Map<string, ContractParameter>();
        for (const raw of [...shared, ...own]) {
          const { parameter, baseUri } = resolveParameter(raw, file, files);
          const resolved = toParameter(parameter, baseUri);
          byKey.set(`${resolved.in}:${resolved.name}`, resolved);
        }
        const parameters = [...byKey.values()];
        const responses = new Map<string, SwaggerSchema | undefined>();
        for (const [status, response] of Object.entries(
          (operation['responses'] ?? {}) as Record<string, SwaggerSchema>,
        )) {
          const schema = response['schema'];
          responses.set(
            status,
            typeof schema === 'object' && schema !== null ? (schema as SwaggerSchema) : undefined,
          );
        }
        const examples: Record<string, string> = {};
        for (const [name, ref] of Object.entries(
          (operation['x-ms-examples'] ?? {}) as Record<string, { $ref?: string }>,
        )) {
          if (typeof ref.$ref === 'string') examples[name] = new URL(ref.$ref, file.uri).pathname;
        }
        const { matcher, names, rank } = buildMatcher(template, parameters);
        operations.push({
          operationId: String(operation['operationId']),
          method: method.toUpperCase(),
          template,
          file: file.rel,
          fileUri: file.uri,
          apiVersion: file.doc.info.version,
          parameters,
          responses,
          examples,
          matcher,
          pathParameterNames: names,
          rank,
        });
      }
    }
  }
  return operations;
}

/** The operation a request is for, with its path parameters as sent (not decoded). */
export function matchOperation(
  operations: readonly ContractOperation[],
  method: string,
  path: string,
): OperationMatch | undefined {
  let best: OperationMatch | undefined;
  for (const operation of operations) {
    if (operation.method !== method.toUpperCase()) continue;
    const found = operation.matcher.exec(path);
    if (found === null) continue;
    if (best !== undefined && !ranksBefore(operation.rank, best.operation.rank)) continue;
    const pathParameters: Record<string, string> = {};
    operation.pathParameterNames.forEach((name, i) => (pathParameters[name] = found[i + 1] ?? ''));
    best = { operation, pathParameters };
  }
  return best;
}

const ranksBefore = (a: readonly [number, number], b: readonly [number, number]): boolean =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
