import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('escapes ESC sequences, other controls and line breaks, and keeps the rest', () => {
    expect(printable('bad \u001b[2J\u001b]0;owned\u0007 line')).toBe(
      'bad \\u001b[2J\\u001b]0;owned\\u0007 line',
    );
    expect(printable('a\nb\r\u009bc\u007f')).toBe('a\\u000ab\\u000d\\u009bc\\u007f');
    expect(printable('tab\there, ünïcode, 🙂')).toBe('tab\there, ünïcode, 🙂');
  });
});
