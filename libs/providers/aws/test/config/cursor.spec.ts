import { describe, expect, it } from 'vitest';
import { CursorOfOtherTypesError, decodeCursor, encodeCursor } from '../../src/config/cursor.js';

const types = ['AWS::S3::Bucket', 'AWS::IAM::Role'];

describe('sweep cursor', () => {
  it('decodes what it encodes, the end of the sweep included', () => {
    for (const position of [
      { index: 0, nextToken: 'token with "quotes"' },
      { index: 1, nextToken: null },
      { index: 2, nextToken: null },
    ]) {
      expect(decodeCursor(encodeCursor(position, types), types)).toEqual(position);
    }
  });

  it('is JSON naming the type it goes on with', () => {
    expect(JSON.parse(encodeCursor({ index: 1, nextToken: 't' }, types))).toEqual({
      v: 1,
      index: 1,
      type: 'AWS::IAM::Role',
      nextToken: 't',
    });
  });

  it('tells a cursor saved by a sweep of other types (another type, a shorter list) by its class', () => {
    const cursor = encodeCursor({ index: 1, nextToken: null }, types);
    expect(() => decodeCursor(cursor, ['AWS::S3::Bucket', 'AWS::IAM::User'])).toThrow(
      /saved by a sweep of other resource types \(AWS::IAM::Role at 1\)/,
    );
    const otherTypes = [['AWS::S3::Bucket', 'AWS::IAM::User'], ['AWS::S3::Bucket'], []];
    for (const other of otherTypes) {
      expect(() => decodeCursor(cursor, other)).toThrow(CursorOfOtherTypesError);
    }
    // A malformed cursor is not one of another sweep.
    for (const broken of ['abc', '{"v":1,"index":-1,"type":null,"nextToken":null}']) {
      expect(() => decodeCursor(broken, types)).toThrow(Error);
      expect(() => decodeCursor(broken, types)).not.toThrow(CursorOfOtherTypesError);
    }
  });

  it.each([
    ['not JSON', 'abc', /not an AWS Config sweep cursor/],
    ['a list', '[1]', /not an AWS Config sweep cursor/],
    ['another version', '{"v":2,"index":0,"type":"AWS::S3::Bucket","nextToken":null}', /version 2/],
    [
      'a negative index',
      '{"v":1,"index":-1,"type":null,"nextToken":null}',
      /names no resource type/,
    ],
    [
      'an index past the end',
      '{"v":1,"index":3,"type":null,"nextToken":null}',
      /names no resource type/,
    ],
    [
      'an empty token',
      '{"v":1,"index":0,"type":"AWS::S3::Bucket","nextToken":""}',
      /invalid nextToken/,
    ],
    ['a token past the end', '{"v":1,"index":2,"type":null,"nextToken":"t"}', /past the last/],
  ])('refuses %s', (_what, cursor, message) => {
    expect(() => decodeCursor(cursor, types)).toThrow(message);
  });
});
