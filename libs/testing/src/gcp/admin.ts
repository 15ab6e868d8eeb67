// The stand-in's own API, on a separate plain-HTTP port, without authentication:
//   PUT /_standin/assets    body: a Cloud Asset export (NDJSON); replaces every asset
//   GET /_standin/assets    every asset record held, in proto3 JSON
//   GET /_standin/findings  every SCC finding, in the v2 REST API's JSON form
//   GET /_standin/sources   every SCC source, likewise
//   GET /_standin/requests  the journal
//   GET /_standin/writes    {"writes": n}: SCC writes received
//   PUT /_standin/faults    body: a JSON array of fault rules (faults.ts); [] clears
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gcpFaultPlanFromRules, GcpFaultRuleError } from './faults.js';
import { GcpSeedError, recordsOfExport } from './seed.js';
import type { GcpStandInState } from './state.js';
import type { GcpViews } from './views.js';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const problem = (status: number, message: string): Answer => ({ status, body: { error: message } });

function route(
  state: GcpStandInState,
  views: GcpViews,
  method: string,
  path: string,
  body: string,
): Answer {
  switch (`${method} ${path.replace(/\/+$/, '')}`) {
    case 'PUT /_standin/assets': {
      state.inventory.replace(recordsOfExport(body));
      return { status: 200, body: { assets: state.inventory.all().length } };
    }
    case 'GET /_standin/assets':
      return { status: 200, body: views.assets() };
    case 'GET /_standin/findings':
      return { status: 200, body: views.findings() };
    case 'GET /_standin/sources':
      return { status: 200, body: views.sources() };
    case 'GET /_standin/requests':
      return { status: 200, body: state.journal };
    case 'GET /_standin/writes':
      return { status: 200, body: { writes: state.writes } };
    case 'PUT /_standin/faults': {
      let rules: unknown;
      try {
        rules = JSON.parse(body);
      } catch (error) {
        return problem(400, `the body is not JSON: ${(error as Error).message}`);
      }
      state.plan = gcpFaultPlanFromRules(rules);
      return { status: 200, body: { rules: (rules as unknown[]).length } };
    }
    default:
      return problem(404, `the admin API has no ${method} ${path}`);
  }
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class AdminServer {
  private readonly server: Server;

  constructor(state: GcpStandInState, views: GcpViews) {
    this.server = createServer((request, response) => {
      void this.serve(state, views, request, response);
    });
  }

  private async serve(
    state: GcpStandInState,
    views: GcpViews,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const body = await bodyOf(request);
    const path = new URL(request.url ?? '/', 'http://admin').pathname;
    let answer: Answer;
    try {
      answer = route(state, views, request.method ?? 'GET', path, body);
    } catch (error) {
      if (!(error instanceof GcpSeedError || error instanceof GcpFaultRuleError)) throw error;
      answer = problem(400, error.message);
    }
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
