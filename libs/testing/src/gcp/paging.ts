// List paging as Google APIs do it (https://google.aip.dev/158): an opaque
// next_page_token, empty on the last page; a token only valid for the same query
// (INVALID_ARGUMENT otherwise); page_size 0 means the method's default, a negative one is
// INVALID_ARGUMENT, and one above the maximum is coerced down to it.
import { createHash } from 'node:crypto';
import { invalidArgument } from './status.js';

export interface PageRules {
  readonly defaultSize: number;
  readonly maxSize: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken: string;
}

/** What identifies the query a token belongs to: everything but the page token and size. */
const fingerprint = (query: unknown): string =>
  createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 16);

export function pageOf<T>(
  all: readonly T[],
  request: { readonly pageSize?: number; readonly pageToken?: string },
  query: unknown,
  rules: PageRules,
): Page<T> {
  const requested = request.pageSize ?? 0;
  if (requested < 0) throw invalidArgument('page_size must not be negative');
  const size = requested === 0 ? rules.defaultSize : Math.min(requested, rules.maxSize);
  const print = fingerprint(query);
  let offset = 0;
  const token = request.pageToken ?? '';
  if (token !== '') {
    const [tokenPrint, at] = Buffer.from(token, 'base64url').toString('utf8').split(':');
    offset = Number(at);
    if (tokenPrint !== print || !Number.isInteger(offset) || offset < 0)
      throw invalidArgument(`invalid page token ${JSON.stringify(token)}`);
  }
  const end = offset + size;
  return {
    items: all.slice(offset, end),
    nextPageToken: end < all.length ? Buffer.from(`${print}:${end}`).toString('base64url') : '',
  };
}
