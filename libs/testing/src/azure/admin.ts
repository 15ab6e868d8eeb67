// The stand-in's own API, on the same endpoint, without authentication:
//   PUT    /_standin/resources        body: a Resource Graph answer (REST or `az graph query`
//                                     output) or an array of rows; replaces every resource
//   PATCH  /_standin/resources        body: one row; creates or replaces that resource
//   DELETE /_standin/resources?id=ID  deletes one resource
//   GET    /_standin/resources        every resource held, as Resource Graph rows
//   GET    /_standin/assessments      every assessment held, as the Security API shows them
//   GET    /_standin/metadata         every assessment metadata held
//   GET    /_standin/requests         the journal
//   GET    /_standin/writes           {"writes": n}: Security API writes received
//   PUT    /_standin/faults           body: a JSON array of fault rules (faults.ts); [] clears
// Writes to resources record a change row (resourcechanges) attributed to the headers
// X-Standin-Changed-By, X-Standin-Client-Type and X-Standin-Operation when given.
import type { IncomingHttpHeaders } from 'node:http';
import { json, type Answer } from './answers.js';
import type { ChangeActor } from './changes.js';
import { faultPlanFromRules, FaultRuleError } from './faults.js';
import { rowsOfAnswer, SeedError } from './seed.js';
import type { StandInState } from './state.js';

export const ADMIN_PREFIX = '/_standin/';

const problem = (status: number, message: string): Answer => json(status, { error: message });

function actorOf(headers: IncomingHttpHeaders): ChangeActor {
  const value = (name: string): string | undefined => {
    const raw = headers[name];
    return Array.isArray(raw) ? raw[0] : raw;
  };
  const changedBy = value('x-standin-changed-by');
  const clientType = value('x-standin-client-type');
  const operation = value('x-standin-operation');
  return {
    ...(changedBy !== undefined ? { changedBy } : {}),
    ...(clientType !== undefined ? { clientType } : {}),
    ...(operation !== undefined ? { operation } : {}),
  };
}

function parseBody(body: string): { value: unknown } | Answer {
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    return problem(400, `the body is not JSON: ${(error as Error).message}`);
  }
}

export function handleAdmin(
  state: StandInState,
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: string,
): Answer {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  const needsBody = method === 'PUT' || method === 'PATCH';
  const parsed = needsBody ? parseBody(body) : { value: undefined };
  if ('status' in parsed) return parsed;
  try {
    switch (route) {
      case 'PUT /_standin/resources': {
        const changes = state.inventory.replace(rowsOfAnswer(parsed.value), actorOf(headers));
        return json(200, { resources: state.inventory.all().length, changes: changes.length });
      }
      case 'PATCH /_standin/resources': {
        const rows = rowsOfAnswer([parsed.value]);
        const changes = rows.map((row) => state.inventory.upsert(row, actorOf(headers)));
        return json(200, { change: changes[0] ?? null });
      }
      case 'DELETE /_standin/resources': {
        const id = url.searchParams.get('id');
        if (id === null)
          return problem(400, 'name the resource: DELETE /_standin/resources?id=<resource id>');
        const change = state.inventory.remove(id, actorOf(headers));
        return change === null ? problem(404, `no resource ${id} is held`) : json(200, { change });
      }
      case 'GET /_standin/resources':
        return json(200, state.inventory.all());
      case 'GET /_standin/assessments':
        return json(200, state.defender.allAssessments());
      case 'GET /_standin/metadata':
        return json(200, state.defender.allMetadata());
      case 'GET /_standin/requests':
        return json(200, state.journal);
      case 'GET /_standin/writes':
        return json(200, { writes: state.writes });
      case 'PUT /_standin/faults':
        state.plan = faultPlanFromRules(parsed.value);
        return json(200, { rules: (parsed.value as unknown[]).length });
      default:
        return problem(404, `the admin API has no ${route}`);
    }
  } catch (error) {
    if (error instanceof SeedError || error instanceof FaultRuleError)
      return problem(400, error.message);
    throw error;
  }
}
