// The Azure adapter as an Azure Functions v4 app (Node.js programming model
// v4, https://learn.microsoft.com/azure/azure-functions/functions-reference-node):
// - `eventgrid`, an HTTP trigger at /api/eventgrid that an Event Grid
//   subscription delivers to (both schemas, both handshakes). Anonymous at
//   the Functions level on purpose: every call is authenticated by the
//   handler itself (an Entra ID token or the shared secret), the only way to
//   answer the handshakes and CloudEvents' OPTIONS as Event Grid expects;
// - `sweep`, a timer trigger on DRIFT_AZURE_SWEEP_SCHEDULE; or, with
//   DRIFT_AZURE_SWEEP_TIMER_PER_SUBSCRIPTION, `sweep-<subscription>`, one
//   timer per named subscription (a shard each).
import functions from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from '@azure/functions';
import {
  cloudFailureLine,
  HttpError,
  shardLine,
  type Route,
  type RouteRequest,
} from '@drift-detective/pipeline';
import {
  azureSweep,
  resolveAzureConfig,
  type AzureAdapterConfig,
} from '@drift-detective/provider-azure';
import { createFunctionsRuntime, type FunctionsRuntime } from './runtime.js';

/** Event Grid delivers at most 1 MB per request (https://learn.microsoft.com/azure/event-grid/event-schema). */
const MAX_BODY_BYTES = 1024 * 1024;
/** Event Grid waits 30 s for an answer (https://learn.microsoft.com/azure/event-grid/delivery-and-retry). */
const ANSWER_WITHIN_MS = 25_000;
/**
 * A sweep stops this long before the app's functionTimeout (host.json:
 * 10 minutes, the Consumption plan's limit), saving its place; the next
 * timer run resumes after its last saved page.
 */
export const SWEEP_BUDGET_MS = 9 * 60 * 1000;

// One runtime per worker process: the policy, the state and the clients
// outlive an invocation.
let runtime: Promise<FunctionsRuntime> | undefined;

function current(): Promise<FunctionsRuntime> {
  runtime ??= createFunctionsRuntime().catch((error: unknown) => {
    runtime = undefined; // a failed start is retried by the next invocation
    throw error;
  });
  return runtime;
}

/** Closes the worker's runtime (tests; the host ends the process itself). */
export async function closeRuntime(): Promise<void> {
  const open = runtime;
  runtime = undefined;
  await (await open?.catch(() => undefined))?.close();
}

/** The trigger's request as the shared route reads it. */
function routeRequest(request: HttpRequest, route: Route): RouteRequest {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers.entries()) headers[name.toLowerCase()] = value;
  return {
    method: request.method,
    path: route.path,
    query: url.searchParams,
    headers,
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    async body() {
      const body = Buffer.from(await request.arrayBuffer());
      if (body.length > MAX_BODY_BYTES)
        throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
      return body;
    },
  };
}

/** The HTTP trigger's handler: Event Grid deliveries and handshakes. */
export async function eventGridHttp(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  let route: Route;
  try {
    route = (await current()).webhook();
  } catch (error) {
    // Not ready or not configured: Event Grid retries a 503 later.
    context.error(cloudFailureLine('azure eventgrid', error as Error).trim());
    return { status: 503, headers: { 'retry-after': '60' }, body: 'not ready\n' };
  }
  const answer = await route.handle(routeRequest(request, route));
  return { status: answer.status, headers: { ...answer.headers }, body: answer.body };
}

/** The timer trigger's handler: one sweep of the configured subscriptions, within its budget. */
export async function sweepTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  await sweepWithinBudget((config) => config, context);
}

/**
 * The handler of one subscription's own timer (`sweep-<subscription>`): that
 * subscription only, a shard with its own checkpoint and lease.
 */
export function sweepTimerFor(
  subscription: string,
): (timer: Timer, context: InvocationContext) => Promise<void> {
  return (_timer, context) =>
    sweepWithinBudget(
      (config) => ({ ...config, subscriptions: [subscription], managementGroup: null }),
      context,
    );
}

async function sweepWithinBudget(
  scoped: (config: AzureAdapterConfig) => AzureAdapterConfig,
  context: InvocationContext,
): Promise<void> {
  const rt = await current();
  const budget = AbortSignal.timeout(SWEEP_BUDGET_MS);
  const sweeps = await azureSweep({
    config: scoped(rt.config),
    clients: rt.azure.clients,
    deps: rt.azure.deps,
    signal: budget,
  });
  for (const s of sweeps) {
    if (s.failure === undefined) context.log(shardLine('azure sweep', s).trim());
    else context.error(shardLine('azure sweep', s).trim());
  }
  if (sweeps.some((s) => s.failure !== undefined)) {
    // A failed invocation shows in the app's monitoring; the next run starts over or resumes.
    throw new Error(
      `azure sweep: ${sweeps.filter((s) => s.failure !== undefined).length} subscription(s) could not be swept`,
    );
  }
}

/**
 * The subscriptions that get a timer each: with the app setting
 * DRIFT_AZURE_SWEEP_TIMER_PER_SUBSCRIPTION=true, those DRIFT_AZURE_SUBSCRIPTIONS
 * names; else none, and one `sweep` timer sweeps them all in turn. Each timer
 * function runs on one instance at a time, but different ones run at once on
 * different instances (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#scale-out),
 * so the shards are swept in parallel; with the state in PostgreSQL, whichever
 * instance runs a shard's next tick resumes its checkpoint. Settings that
 * cannot be read register the single timer, whose run then names the mistake.
 */
export function timerSubscriptions(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env['DRIFT_AZURE_SWEEP_TIMER_PER_SUBSCRIPTION'] !== 'true') return [];
  try {
    return [...resolveAzureConfig({ env }).subscriptions];
  } catch {
    return [];
  }
}

functions.app.http('eventgrid', {
  methods: ['POST', 'OPTIONS'],
  authLevel: 'anonymous',
  route: 'eventgrid',
  handler: eventGridHttp,
});

// A binding expression: the app setting DRIFT_AZURE_SWEEP_SCHEDULE (NCRONTAB, six fields).
const SCHEDULE = '%DRIFT_AZURE_SWEEP_SCHEDULE%';
const perSubscription = timerSubscriptions();
if (perSubscription.length === 0) {
  functions.app.timer('sweep', { schedule: SCHEDULE, handler: sweepTimer });
}
for (const subscription of perSubscription) {
  functions.app.timer(`sweep-${subscription}`, {
    schedule: SCHEDULE,
    handler: sweepTimerFor(subscription),
  });
}
