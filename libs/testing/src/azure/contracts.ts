// Validation against Microsoft's OpenAPI contracts: of a request against the
// operation it matches (path parameters, query parameters with the
// api-version the contract is for, body), of an answer against the schema of
// its status (or `default`: CloudError / ErrorResponse), and of any value
// against a named definition (e.g. an Event Grid event's data).
import path from 'node:path';
import { DefinitionIndex } from './definitions.js';
import {
  contractOperations,
  matchOperation,
  type ContractOperation,
  type ContractParameter,
  type OperationMatch,
} from './operations.js';
import { SchemaValidator } from './schema-validator.js';
import { azureSpecsDir, loadSpecFiles, type SpecFile } from './spec-files.js';
import { defsRef, type Direction, type JsonSchema } from './swagger-schema.js';

export interface DefinitionOptions {
  /** 'response' (default) checks a value a service sent; 'request' one a client sends. */
  readonly direction?: Direction;
  /** Admit properties the definition does not declare (a base shape such as ARM's Resource). */
  readonly open?: boolean;
  /** Names that must be present although the definition leaves them optional. */
  readonly required?: readonly string[];
}

export interface RequestToCheck {
  readonly query: URLSearchParams;
  /** The raw body; '' when there is none. */
  readonly body: string;
}

export interface AzureContracts {
  readonly specsDir: string;
  readonly operations: readonly ContractOperation[];
  findOperation(method: string, path: string): OperationMatch | undefined;
  validateRequest(match: OperationMatch, request: RequestToCheck): string[];
  validateResponse(operation: ContractOperation, status: number, body: string): string[];
  /** `file`: a path under the specs folder, or its unique tail such as 'Resources.json'. */
  validateDefinition(
    file: string,
    definition: string,
    value: unknown,
    options?: DefinitionOptions,
  ): string[];
  /** The schema `{ $ref }` of a definition, to compose in validateSchema. */
  definitionSchema(file: string, definition: string, options?: { open?: boolean }): JsonSchema;
  /** Validates against a composed schema; `name` identifies it for reuse. */
  validateSchema(name: string, schema: JsonSchema, value: unknown, direction?: Direction): string[];
}

const PARAMETER_KEYWORDS = [
  'type',
  'format',
  'pattern',
  'enum',
  'x-ms-enum',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
];

function parseJson(body: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    return { error: `body is not JSON: ${(error as Error).message}` };
  }
}

class Contracts implements AzureContracts {
  readonly operations: readonly ContractOperation[];
  private readonly files: ReadonlyMap<string, SpecFile>;
  private readonly validators: Record<Direction, SchemaValidator>;

  constructor(readonly specsDir: string) {
    this.files = loadSpecFiles(specsDir);
    const index = new DefinitionIndex(this.files);
    this.operations = contractOperations(this.files);
    this.validators = {
      request: new SchemaValidator(this.files, index, 'request'),
      response: new SchemaValidator(this.files, index, 'response'),
    };
  }

  findOperation(method: string, urlPath: string): OperationMatch | undefined {
    return matchOperation(this.operations, method, urlPath);
  }

  validateRequest(match: OperationMatch, request: RequestToCheck): string[] {
    const { operation } = match;
    const problems: string[] = [];
    for (const parameter of operation.parameters) {
      const where = `${parameter.in} parameter '${parameter.name}'`;
      if (parameter.in === 'path') {
        const raw = match.pathParameters[parameter.name] ?? '';
        const value = parameter.raw['x-ms-skip-url-encoding'] === true ? raw : safeDecode(raw);
        problems.push(...this.checkSimple(operation, parameter, value, where));
      } else if (parameter.in === 'query') {
        const value = request.query.get(parameter.name);
        if (value === null) {
          if (parameter.required) problems.push(`${where} is required`);
          continue;
        }
        if (parameter.name === 'api-version' && value !== operation.apiVersion) {
          problems.push(`${where} is ${value}; ${operation.file} is for ${operation.apiVersion}`);
        }
        problems.push(...this.checkSimple(operation, parameter, value, where));
      } else if (parameter.in === 'body') {
        if (request.body.trim() === '') {
          if (parameter.required) problems.push(`${where} (the request body) is required`);
          continue;
        }
        const parsed = parseJson(request.body);
        if ('error' in parsed) {
          problems.push(`request ${parsed.error}`);
          continue;
        }
        const schema = this.validators.request.inline(parameter.schema ?? {}, parameter.baseUri);
        const key = `body|${operation.fileUri}|${operation.operationId}`;
        problems.push(
          ...this.validators.request
            .problems(key, schema, parsed.value)
            .map((p) => `request body ${p}`),
        );
      }
    }
    return problems;
  }

  validateResponse(operation: ContractOperation, status: number, body: string): string[] {
    const declared = operation.responses.has(String(status));
    if (!declared && status < 400) {
      return [`status ${status} is not declared by ${operation.file}#${operation.operationId}`];
    }
    const code = declared ? String(status) : 'default';
    if (!operation.responses.has(code)) {
      return [
        `status ${status} is not declared and ${operation.operationId} has no default response`,
      ];
    }
    const schema = operation.responses.get(code);
    if (schema === undefined) {
      return body.trim() === '' ? [] : [`status ${status} declares no body, but one was sent`];
    }
    const parsed = parseJson(body);
    if ('error' in parsed) return [`answer ${parsed.error}`];
    const converted = this.validators.response.inline(schema, operation.fileUri);
    const key = `response|${operation.fileUri}|${operation.operationId}|${code}`;
    return this.validators.response
      .problems(key, converted, parsed.value)
      .map((p) => `answer ${p}`);
  }

  validateDefinition(
    file: string,
    definition: string,
    value: unknown,
    options: DefinitionOptions = {},
  ): string[] {
    const base = this.definitionSchema(file, definition, { open: options.open ?? false });
    const schema =
      options.required === undefined || options.required.length === 0
        ? base
        : { allOf: [base], required: [...options.required] };
    const name = `definition|${file}|${definition}|${String(options.open)}|${options.required?.join(',')}`;
    return this.validateSchema(name, schema, value, options.direction ?? 'response');
  }

  definitionSchema(file: string, definition: string, options: { open?: boolean } = {}): JsonSchema {
    const spec = this.specFile(file);
    if (spec.doc.definitions?.[definition] === undefined) {
      throw new Error(`${spec.rel} defines no ${definition}`);
    }
    return { $ref: defsRef({ uri: spec.uri, name: definition }, options.open ?? false) };
  }

  validateSchema(
    name: string,
    schema: JsonSchema,
    value: unknown,
    direction: Direction = 'response',
  ) {
    return this.validators[direction].problems(`${direction}|${name}`, schema, value);
  }

  private specFile(file: string): SpecFile {
    const wanted = file.split(path.sep).join('/');
    const found = [...this.files.values()].filter(
      (f) =>
        f.rel === wanted ||
        f.rel.endsWith(`/${wanted}`) ||
        path.join(this.specsDir, f.rel) === path.resolve(file),
    );
    const [only] = found;
    if (found.length === 1 && only !== undefined) return only;
    throw new Error(
      found.length === 0
        ? `no contract file ${file} under ${this.specsDir}`
        : `${file} is ambiguous: ${found.map((f) => f.rel).join(', ')}`,
    );
  }

  private checkSimple(
    operation: ContractOperation,
    parameter: ContractParameter,
    value: string,
    where: string,
  ): string[] {
    const schema: Record<string, unknown> = {};
    for (const key of PARAMETER_KEYWORDS) {
      if (parameter.raw[key] !== undefined) schema[key] = parameter.raw[key];
    }
    const typed =
      schema['type'] === 'integer' || schema['type'] === 'number' ? Number(value) : value;
    const key = `parameter|${operation.fileUri}|${operation.operationId}|${parameter.in}|${parameter.name}`;
    const converted = this.validators.request.inline(schema, parameter.baseUri);
    return this.validators.request
      .problems(key, converted, typed)
      .map((p) => `${where} ${p.replace(/^\(root\) /, '')}`);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const loaded = new Map<string, Contracts>();

/** The contracts in `libs/testing/contracts/azure`, loaded once per process. */
export function azureContracts(specsDir: string = azureSpecsDir()): AzureContracts {
  let contracts = loaded.get(specsDir);
  if (contracts === undefined) {
    contracts = new Contracts(specsDir);
    loaded.set(specsDir, contracts);
  }
  return contracts;
}
