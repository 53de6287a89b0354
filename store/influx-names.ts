// Reversible storage spelling of ids, sensors and field keys in InfluxDB 1.x.
// Line protocol cannot carry every string in a tag: a trailing backslash is a parse error and a
// backslash before a newline is kept, so neither round-trips. We percent-encode exactly the
// characters that cannot (`\`, control characters such as newline) plus `%` itself, so decoding
// is exact; ordinary ids (ASCII, Chinese, spaces, quotes, commas, `=`) are stored as they are.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ENCODING = /[%\\\u0000-\u001f\u007f]/g;
const ENCODED = /%([0-9A-F]{2})/g;

export function encodeName(s: string): string {
  return s.replace(NEEDS_ENCODING, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function decodeName(s: string): string {
  return s.replace(ENCODED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
