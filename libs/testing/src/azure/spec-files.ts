// Finds and reads Microsoft's OpenAPI (Swagger 2.0) contracts: the copy of
// azure-rest-api-specs files in libs/testing/contracts (see its SOURCE.md).
// Files keep their upstream paths, so relative $refs between them resolve as
// they do upstream.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root, from this file's place in libs/testing/src/azure (or dist/azure). */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..');

/** `libs/testing/contracts/azure`, where the contracts are kept (see its README). */
export function azureSpecsDir(): string {
  const dir = path.resolve(repoRoot, 'libs/testing/contracts/azure');
  if (!existsSync(path.join(dir, 'specification'))) {
    throw new Error(
      `Azure API contracts not found at ${dir}: the stand-in validates against Microsoft's ` +
        'OpenAPI files and cannot run without them (expected specification/… from ' +
        'https://github.com/Azure/azure-rest-api-specs there)',
    );
  }
  return dir;
}

export interface SpecFile {
  /** file:// URL, the base every relative $ref in the file resolves against. */
  readonly uri: string;
  /** Path relative to the specs folder, with forward slashes. */
  readonly rel: string;
  readonly doc: SwaggerDoc;
}

export interface SwaggerDoc {
  readonly swagger: string;
  readonly info: { readonly version: string; readonly title?: string };
  readonly paths?: Record<string, Record<string, unknown>>;
  readonly definitions?: Record<string, SwaggerSchema>;
  readonly parameters?: Record<string, unknown>;
}

/** A Swagger 2.0 schema object, read loosely: Microsoft's files carry many x-ms-* keys. */
export type SwaggerSchema = { readonly [key: string]: unknown };

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      // Examples are data for operations, not contracts.
      if (name !== 'examples') yield* jsonFiles(full);
    } else if (name.endsWith('.json')) {
      yield full;
    }
  }
}

/** Every Swagger document under `dir`, keyed by file URL. */
export function loadSpecFiles(dir: string): Map<string, SpecFile> {
  const files = new Map<string, SpecFile>();
  for (const file of jsonFiles(dir)) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Partial<SwaggerDoc>;
    if (doc.swagger !== '2.0') continue;
    const uri = pathToFileURL(file).href;
    files.set(uri, {
      uri,
      rel: path.relative(dir, file).split(path.sep).join('/'),
      doc: doc as SwaggerDoc,
    });
  }
  return files;
}

/** An absolute reference: the file URL and the JSON pointer inside it. */
export interface AbsoluteRef {
  readonly uri: string;
  readonly pointer: string;
}

export function absoluteRef(ref: string, baseUri: string): AbsoluteRef {
  const url = new URL(ref, baseUri);
  const pointer = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  return { uri: url.href, pointer };
}

/** Follows a JSON pointer (RFC 6901) inside `doc`; undefined when it leads nowhere. */
export function atPointer(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
