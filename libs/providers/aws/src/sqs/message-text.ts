/**
 * Text SQS takes in a message body or String attribute: #x9 #xA #xD,
 * #x20–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF. Anything else is rejected.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#SQS-SendMessage-request-MessageBody
 */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text with every character SQS rejects replaced by U+FFFD. */
export function sqsSafeText(text: string): string {
  return text.replace(INVALID, '\uFFFD');
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The text cut to at most maxBytes of UTF-8, whole code points only, ending
 * in "…" when it was cut.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const ellipsis = '…';
  let budget = maxBytes - utf8Bytes(ellipsis);
  let out = '';
  for (const char of text) {
    const size = utf8Bytes(char);
    if (size > budget) break;
    out += char;
    budget -= size;
  }
  return budget < 0 ? '' : `${out}${ellipsis}`;
}
