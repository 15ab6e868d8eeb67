// Invokes one handler of the built Lambda bundle the way the Lambda runtime
// does (import the module, call the export with the event), on whatever Node
// runs this file, with a context that counts down its timeout, and prints the handler's answer as JSON on stdout.
// usage: node invoke.mjs <bundle/index.mjs> <handler> < event.json
import { readFileSync } from 'node:fs';

const [bundle, handler] = process.argv.slice(2);
const module = await import(bundle);
const event = JSON.parse(readFileSync(0, 'utf8') || '{}');
// The context's clock, as the runtime gives it: the function's timeout from now
// (INVOKE_TIMEOUT_MS, default the template's 300 s).
const deadline = Date.now() + Number(process.env.INVOKE_TIMEOUT_MS ?? 300_000);
const context = { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
const answer = await module[handler](event, context);
// Marked: the handler's own logs share stdout, as they do in Lambda.
process.stdout.write(`ANSWER ${JSON.stringify(answer ?? null)}\n`);
