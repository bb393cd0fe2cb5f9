// Error messages carry what hooks printed (stderr, unparsable output, a parser's quote of it). A log line is
// one line per event and an Event message is one line in `kubectl describe`, so such text is escaped.

/** `text` on one line: CR, LF and other control characters written as escapes (`\n`, `\r`, `\t`, `\x1b`). */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\r\n' || c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
