import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

/**
 * Reads the regular files of a gzip'd ustar archive (what `opa build` writes)
 * into memory. OPA bundles are small (a wasm module and some Rego), so reading
 * them whole is fine. Names lose their leading "/" ("/policy.wasm" → "policy.wasm").
 * Throws on a truncated or malformed archive (a tar stream must end with its
 * zero-block marker, so a cut at a header boundary is caught too).
 */
export function readTarGz(archive: Uint8Array): Map<string, Buffer> {
  const tar = gunzipSync(archive);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    if (offset + BLOCK > tar.length) throw new Error('archive truncated: no end-of-archive marker');
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end-of-archive marker
    const size = parseOctal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = cString(header.subarray(345, 500));
    const name =
      longName ??
      (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = undefined;
    const start = offset + BLOCK;
    const end = start + size;
    if (end > tar.length) throw new Error(`archive truncated inside ${name}`);
    const body = tar.subarray(start, end);
    if (type === 'L')
      longName = cString(body); // GNU long name for the next entry
    else if (type === '0' || type === '\0') files.set(name.replace(/^\/+/, ''), Buffer.from(body));
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

function parseOctal(bytes: Uint8Array): number {
  const text = cString(bytes).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`bad size field '${text}' in tar header`);
  return Number.parseInt(text, 8);
}
