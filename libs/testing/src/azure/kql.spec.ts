import { describe, expect, it } from 'vitest';
import { KqlError, parseQuery, runQuery } from './kql.js';

const rows = [
  {
    id: '/a',
    name: 'b',
    type: 'microsoft.storage/storageaccounts',
    properties: { n: 2, at: '2024-01-02' },
  },
  { id: '/b', name: 'a', type: 'microsoft.sql/servers', properties: { n: 10, at: '2024-01-01' } },
  { id: '/c', name: 'c', type: 'Microsoft.Storage/storageAccounts', properties: {} },
];

const names = (query: string): string[] => runQuery(parseQuery(query), rows).map((r) => r.name);

describe('the served KQL subset', () => {
  it('reads a table, where clauses joined by and, order by and take', () => {
    expect(
      parseQuery(
        "Resources | where type =~ 'x' and name == 'y' | where id in~ ('/a', \"/b\") | order by properties.at asc | take 5",
      ),
    ).toEqual({
      table: 'resources',
      where: [
        { path: ['type'], operator: '=~', values: ['x'] },
        { path: ['name'], operator: '==', values: ['y'] },
        { path: ['id'], operator: 'in~', values: ['/a', '/b'] },
      ],
      orderBy: { path: ['properties', 'at'], descending: false },
      take: 5,
    });
  });

  it('compares =~ and in~ case-insensitively and == exactly', () => {
    expect(names("resources | where type =~ 'MICROSOFT.STORAGE/storageaccounts'")).toEqual([
      'b',
      'c',
    ]);
    expect(names("resources | where type == 'microsoft.storage/storageaccounts'")).toEqual(['b']);
    expect(names("resources | where type in~ ('microsoft.sql/SERVERS', 'nothing')")).toEqual(['a']);
  });

  it('sorts descending by default, numbers as numbers, nulls first ascending and last descending', () => {
    expect(names('resources | order by properties.n')).toEqual(['a', 'b', 'c']);
    expect(names('resources | order by properties.n asc')).toEqual(['c', 'b', 'a']);
    expect(names('resources | order by name asc | take 2')).toEqual(['a', 'b']);
    expect(names('resources | order by name asc | limit 1')).toEqual(['a']);
  });

  it.each([
    ['resources | project id', "operator 'project'"],
    ["resources | where name contains 'a'", "operator 'contains'"],
    ['resources | take 1 | where name == "a"', 'where after order by or take'],
    ['resources | order by name | order by id', 'second order by'],
    ["resources | where name == 'a' or name == 'b'", "unexpected 'or'"],
    ["resources | where tags['env'] == 'x'", "unexpected character '['"],
    ["resources | where name == 'open", 'unterminated'],
  ])('refuses %s', (query, message) => {
    expect(() => parseQuery(query)).toThrow(KqlError);
    expect(() => parseQuery(query)).toThrow(message);
  });
});
