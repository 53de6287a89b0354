// RFC 4180 CSV into rows of fields: quoted fields may hold commas, quotes ("") and line breaks;
// CRLF, LF or CR line ends. Bounded: more than `maxRows` rows is refused before more is read.
// An unclosed quote is reported with the row where it opened (the rest of the file would
// otherwise vanish into one field).

import { HeatError } from '../../domain/errors';

export function parseCsv(text: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let quoteRow = 0;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
    if (rows.length > maxRows) throw new HeatError('PAYLOAD_TOO_LARGE', `body: more than ${maxRows} rows`);
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteRow = rows.length + 1;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new HeatError('BAD_REQUEST', `body: row ${quoteRow}: a quoted field is never closed`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
