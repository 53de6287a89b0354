// Hotline CSV exports come as UTF-8 (with or without a byte-order mark) or, when saved from
// Excel on a Chinese Windows, as GB18030 (GBK). Valid UTF-8 is taken as UTF-8; anything else is
// decoded as GB18030, which maps every byte sequence.

export type TextEncoding = 'utf-8' | 'gb18030';

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}
