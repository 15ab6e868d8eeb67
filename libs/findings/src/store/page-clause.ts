import type { RecordPage } from './state-store.js';

/**
 * The SQL that narrows a query ordered by id to one page, for either driver:
 * `placeholder` is the parameter the `after` id takes ("?" in SQLite, "$2" in
 * PostgreSQL). Ids compare in the column's collation, the one ORDER BY uses,
 * so reading page after page never skips or repeats a record.
 */
export function pageClause(
  page: RecordPage | undefined,
  placeholder: string,
): { where: string; params: unknown[]; limit: string } {
  if (!page) return { where: '', params: [], limit: '' };
  const limit = ` LIMIT ${Math.max(0, Math.trunc(page.limit))}`;
  if (page.after === undefined) return { where: '', params: [], limit };
  return { where: ` AND id > ${placeholder}`, params: [page.after], limit };
}
