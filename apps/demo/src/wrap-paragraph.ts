/**
 * Word-wrap `text` to lines of at most `width` characters (longer words get a line of their own). The first
 * line starts with `label`; the others are indented by as many spaces, so labels form a column:
 *
 * ```text
 * Problem  linear regression with …
 *          … continued here
 * ```
 */
export function wrapParagraph(label: string, text: string, width = 104): string {
  const indent = ' '.repeat([...label].length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const prefix = lines.length === 0 ? label : indent;
    if (line.length > 0 && [...(prefix + line + ' ' + word)].length > width) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  lines.push((lines.length === 0 ? label : indent) + line);
  return lines.map((l) => l.trimEnd()).join('\n');
}
