// One invocation the way the Lambda Node.js runtime makes it from a function's
// configuration: the Handler setting "<module>.<export>" names a module of the
// task root (<module>.js, .mjs or .cjs, in that order) and the export to call
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html).
// Prints the answer as JSON, after "ANSWER ", on stdout, beside the handler's logs, then
// ends the process as Lambda ends the invocation: once the handler's promise settles,
// whatever the handler left open (a PostgreSQL state's pooled connections) is frozen with
// the execution environment, not waited for
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
// usage: node lambda-runtime.mjs <task root> <Handler> < event.json
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [taskRoot, handlerSetting] = process.argv.slice(2);
const match = /^((?:.*\/)?[^./]+)\.([^/]+)$/.exec(handlerSetting ?? '');
if (!taskRoot || !match) {
  throw new Error(`usage: lambda-runtime.mjs <task root> <module>.<export>, not ${handlerSetting}`);
}
const [, moduleName, exportPath] = match;
const file = ['.js', '.mjs', '.cjs']
  .map((extension) => path.join(taskRoot, `${moduleName}${extension}`))
  .find((candidate) => existsSync(candidate));
if (!file) throw new Error(`Runtime.ImportModuleError: no module ${moduleName} in ${taskRoot}`);
const module = await import(pathToFileURL(file).href);
const handler = exportPath.split('.').reduce((value, key) => value?.[key], module);
if (typeof handler !== 'function') {
  throw new Error(`Runtime.HandlerNotFound: ${handlerSetting} is not a function of ${file}`);
}
const event = JSON.parse(readFileSync(0, 'utf8') || '{}');
// The context's clock counts down the function's timeout (the template's 300 s).
const deadline = Date.now() + 300_000;
const answer = await handler(event, {
  functionName: process.env['AWS_LAMBDA_FUNCTION_NAME'],
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
});
process.stdout.write(`ANSWER ${JSON.stringify(answer ?? null)}\n`, () => {
  // A moment for the logs to reach the pipes; a process with nothing left open is gone sooner.
  setTimeout(() => process.exit(0), 500).unref();
});
