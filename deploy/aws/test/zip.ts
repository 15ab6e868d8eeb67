// A folder as a .zip deployment package, as `aws cloudformation package` makes
// of a local Code path: every file (deflated), its name relative to the folder,
// readable by all (0644), the Lambda runtime's user included
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html).
// The format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/** Fixed 1980-01-01 00:00 (the DOS epoch): the same files make the same archive. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** General purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
/** Version 2.0 (deflate), made by Unix (3), so the external attributes are a file mode. */
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | 20;
const FILE_MODE = 0o100644;

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return filesUnder(dir, name);
      if (entry.isFile()) return [name];
      throw new Error(`${path.join(dir, name)}: neither a file nor a folder`);
    }),
  );
  return nested.flat().sort();
}

/** The files under `dir` as one zip archive (no zip64: each file and the whole under 4 GiB). */
export async function zipDirectory(dir: string): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of await filesUnder(dir)) {
    const data = await readFile(path.join(dir, name));
    const compressed = deflateRawSync(data, { level: 9 });
    const fileName = Buffer.from(name, 'utf8');
    const checksum = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28); // no extra field
    locals.push(local, fileName, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    // Extra field, comment, disk number, internal attributes: none (30..37).
    central.writeUInt32LE(FILE_MODE * 0x10000, 38); // external attributes: the Unix mode
    central.writeUInt32LE(offset, 42);
    centrals.push(central, fileName);

    offset += local.length + fileName.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // This disk and the directory's disk: 0 (4..7).
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  // No comment (20..21).
  if (offset + directory.length > 0xffffffff) throw new Error(`${dir}: too large for a zip32`);
  return Buffer.concat([...locals, directory, end]);
}
