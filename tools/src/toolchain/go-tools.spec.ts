import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../process.js';
import { ensureTool } from './ensure.js';
import { ACTIONLINT, builtVersion, moduleDir, OPA, pinnedVersion, REGAL } from './go-tools.js';

const quiet = () => undefined;

describe('pinned versions', () => {
  it('reads the version each tool module requires', async () => {
    const goMod = await readFile(path.join(moduleDir(OPA), 'go.mod'), 'utf8');
    expect(pinnedVersion(OPA, goMod)).toMatch(/^v1\.\d+\.\d+$/);
    const regalMod = await readFile(path.join(moduleDir(REGAL), 'go.mod'), 'utf8');
    expect(pinnedVersion(REGAL, regalMod)).toMatch(/^v0\.\d+\.\d+$/);
    const actionlintMod = await readFile(path.join(moduleDir(ACTIONLINT), 'go.mod'), 'utf8');
    expect(pinnedVersion(ACTIONLINT, actionlintMod)).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('pins by module and reads the version of a command built from a package inside it', () => {
    expect(() =>
      pinnedVersion(ACTIONLINT, 'module x\n\nrequire github.com/rhysd/actionlint/cmd v1.0.0\n'),
    ).toThrow(/does not require github.com\/rhysd\/actionlint$/);
    const built =
      'tools/bin/actionlint: go1.26.8\n\tpath\tgithub.com/rhysd/actionlint/cmd/actionlint\n\tmod\tdrift-detective/tools/actionlint\t(devel)\t\n\tdep\tgithub.com/rhysd/actionlint\tv1.7.12\th1:abc=\n';
    expect(builtVersion(ACTIONLINT, built)).toBe('v1.7.12');
  });

  it('does not mistake a dependency with a longer path for the tool', () => {
    const goMod =
      'module x\n\nrequire (\n\tgithub.com/open-policy-agent/opa-extra v9.9.9\n\tgithub.com/open-policy-agent/opa v1.22.3\n)\n';
    expect(pinnedVersion(OPA, goMod)).toBe('v1.22.3');
  });

  it('names the go.mod when the tool is not required', () => {
    expect(() => pinnedVersion(OPA, 'module x\n')).toThrow(
      /tools\/go\/opa\/go.mod does not require/,
    );
  });

  it('reads the tool version from go version -m output, as main module or dependency', () => {
    const asDep =
      'tools/bin/opa: go1.26.8\n\tpath\tgithub.com/open-policy-agent/opa\n\tmod\tdrift-detective/tools/opa\t(devel)\t\n\tdep\tgithub.com/open-policy-agent/opa\tv1.22.3\th1:abc=\n';
    expect(builtVersion(OPA, asDep)).toBe('v1.22.3');
    const asMain =
      '/bin/opa: go1.26.8\n\tpath\tgithub.com/open-policy-agent/opa\n\tmod\tgithub.com/open-policy-agent/opa\tv1.21.0\th1:x=\n';
    expect(builtVersion(OPA, asMain)).toBe('v1.21.0');
    expect(builtVersion(OPA, '')).toBeUndefined();
  });
});

describe('ensureTool', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('uses the installed binary at the pinned version without rebuilding', async () => {
    const first = await ensureTool(OPA, quiet);
    const second = await ensureTool(OPA, quiet);
    expect(second).toMatchObject({ path: first.path, built: false, overridden: false });
    expect(second.version).toBe(first.version);
  });

  it('honours OPA_BIN and refuses one that does not exist', async () => {
    process.env['OPA_BIN'] = '/nonexistent/opa';
    await expect(ensureTool(OPA, quiet)).rejects.toThrow('OPA_BIN=/nonexistent/opa does not exist');
    const real = await (async () => {
      delete process.env['OPA_BIN'];
      return ensureTool(OPA, quiet);
    })();
    process.env['OPA_BIN'] = real.path;
    await expect(ensureTool(OPA, quiet)).resolves.toMatchObject({
      path: real.path,
      overridden: true,
    });
  });

  it('says what to install when Go is missing and the tool must be built', async () => {
    delete process.env['OPA_BIN'];
    process.env['PATH'] = '/nonexistent';
    const emptyBin = await mkdtemp(path.join(tmpdir(), 'drift-bin-'));
    const error = await ensureTool(OPA, quiet, emptyBin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/Go was not found on PATH.*install Go 1\.26/s);
  });
});
