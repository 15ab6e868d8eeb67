import { PROVIDERS, type Provider } from '@drift-detective/resource-model';
import { printable, type CommandIo } from '@drift-detective/pipeline';
import { resolveInputs } from './scan/inputs.js';
import { INVENTORIES } from './scan/inventories.js';
import { normalizeInventory } from './scan/normalize-inventory.js';
import { EXIT, UsageError } from './usage.js';

export function parseProvider(value: string | undefined): Provider | undefined {
  if (value === undefined) return undefined;
  if (!PROVIDERS.includes(value as Provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}, not '${value}'`);
  }
  return value as Provider;
}

/**
 * drift-detective normalize: native inventories in, normalized resources out
 * (NDJSON), for writing and debugging policies against what the rules see.
 */
export async function normalizeCommand(
  options: { readonly inputs: readonly string[]; readonly provider?: string | undefined },
  io: CommandIo,
): Promise<number> {
  const provider = parseProvider(options.provider);
  const { files: inputs, ignored } = await resolveInputs(options.inputs);
  for (const file of ignored)
    io.err(`${printable(`skipped ${file}: not a .json, .ndjson or .jsonl file; not read`)}\n`);
  for await (const item of normalizeInventory({ inputs, inventories: INVENTORIES, provider })) {
    if ('skipped' in item)
      io.err(`${printable(`skipped ${item.skipped.input}: ${item.skipped.reason}`)}\n`);
    else io.out(`${JSON.stringify(item.resource)}\n`);
  }
  return EXIT.ok;
}
