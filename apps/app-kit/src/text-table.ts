/** Column alignment: 'left' for words, 'right' for numbers. */
export type Alignment = 'left' | 'right';

/**
 * A plain-text table: a header row, a rule, and the rows, with columns padded to their widest cell and
 * separated by two spaces. Widths count code points, so "≤" and "—" take one column.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Alignment[] = []): string {
  const columns = header.length;
  for (const row of rows) {
    if (row.length !== columns) throw new RangeError(`a row has ${row.length} cells; the header has ${columns}`);
  }
  const width = (text: string): number => [...text].length;
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]))));
  const pad = (text: string, c: number): string => {
    const fill = ' '.repeat(widths[c] - width(text));
    return align[c] === 'right' ? fill + text : text + fill;
  };
  const line = (cells: readonly string[]): string => cells.map(pad).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
