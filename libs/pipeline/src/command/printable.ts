/**
 * Text from an input (a file name, a resource name, a parser's excerpt of a
 * bad line) made safe for a terminal: control characters — ESC sequences
 * above all, which can move the cursor, rewrite the screen or set the title —
 * are written as \u001b-style escapes instead of being sent raw. Tabs stay;
 * line breaks are escaped too, so one message stays one line.
 */
export function printable(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** C0 controls but tab, DEL, and the C1 controls (0x9b is a one-byte CSI). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
