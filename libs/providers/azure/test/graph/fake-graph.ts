import type { FakeAnswer, SeenRequest } from '../arm/fake-arm.js';

/**
 * A Resource Graph for unit tests: answers the three query shapes the sweep
 * sends over seeded rows, pages them with an offset as $skipToken, and
 * serves ARM list calls from a map of paths. Enough to drive the real
 * ResourceGraphClient; the stand-in in libs/testing does this for real.
 */
export interface FakeGraphSeed {
  resources: Record<string, unknown>[];
  roleDefinitions?: Record<string, unknown>[];
  changes?: Record<string, unknown>[];
  subscriptions?: Record<string, unknown>[];
  /** ARM GETs: path → answer. */
  arm?: Record<string, FakeAnswer>;
  /** Answer for resourcechanges queries instead of the rows (a failure). */
  changesAnswer?: FakeAnswer;
}

const typeList = (query: string) =>
  [...(/in~ \(([^)]*)\)/.exec(query)?.[1] ?? '').matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) =>
    (m[1] ?? '').replace(/\\(.)/g, '$1').toLowerCase(),
  );

export function fakeGraph(seed: FakeGraphSeed): (request: SeenRequest) => FakeAnswer {
  return (request) => {
    const path = request.url.pathname;
    if (path !== '/providers/Microsoft.ResourceGraph/resources') {
      return (
        seed.arm?.[path] ?? {
          status: 404,
          body: { error: { code: 'ResourceNotFound', message: path } },
        }
      );
    }
    const body = request.body as {
      query: string;
      options?: { $top?: number; $skipToken?: string };
    };
    const { query } = body;
    let rows: Record<string, unknown>[];
    if (query.startsWith('resources |')) {
      const types = typeList(query);
      rows = seed.resources.filter((r) => types.includes(String(r['type']).toLowerCase()));
    } else if (query.startsWith('authorizationresources |')) {
      rows = seed.roleDefinitions ?? [];
    } else if (query.startsWith('resourcechanges |')) {
      if (seed.changesAnswer) return seed.changesAnswer;
      const ids = typeList(query);
      rows = (seed.changes ?? [])
        .filter((c) =>
          ids.includes(
            String((c['properties'] as Record<string, unknown>)['targetResourceId']).toLowerCase(),
          ),
        )
        .sort((a, b) => stamp(b).localeCompare(stamp(a)));
    } else if (query.startsWith('resourcecontainers |')) {
      rows = seed.subscriptions ?? [];
    } else {
      return {
        status: 400,
        body: { error: { code: 'BadRequest', message: `unsupported query ${query}` } },
      };
    }
    const top = body.options?.$top ?? 1000;
    const offset = Number(body.options?.$skipToken ?? 0);
    const page = rows.slice(offset, offset + top);
    const next = offset + top < rows.length ? String(offset + top) : undefined;
    return {
      status: 200,
      body: {
        totalRecords: rows.length,
        count: page.length,
        resultTruncated: 'false',
        data: page,
        ...(next ? { $skipToken: next } : {}),
      },
    };
  };
}

function stamp(change: Record<string, unknown>): string {
  const attributes = (change['properties'] as Record<string, Record<string, unknown>>)[
    'changeAttributes'
  ];
  return String(attributes?.['timestamp'] ?? '');
}
