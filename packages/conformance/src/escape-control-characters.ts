/**
 * The characters a terminal acts on or reorders rather than shows: C0 controls (U+0000–U+001F, ESC among
 * them), DEL and the C1 controls (U+007F–U+009F), the bidi marks U+061C, U+200E, U+200F, the line and
 * paragraph separators U+2028, U+2029, and the bidi embeddings, overrides and isolates U+202A–U+202E,
 * U+2066–U+2069.
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_CHARACTERS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same characters less those JSON.stringify already escapes (C0). */
const CONTROL_CHARACTERS_JSON_LEAVES = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(character: string): string {
  const code = character.charCodeAt(0);
  return SHORT[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * `text` with every control or bidi formatting character (C0, DEL, C1, U+061C, U+200E, U+200F, U+2028,
 * U+2029, U+202A–U+202E, U+2066–U+2069) rendered as a visible escape: `\n`, `\r`, `\t`, `\x1b`, `\x9b`,
 * `\u202e`. For printing data from a file (a case's name, its source, a path) to a terminal, which would
 * otherwise act on an escape sequence (clear the screen, set the title, move the cursor) or reorder the
 * line. `keepNewlines` leaves `\n` as it is, for text made of lines. A backslash is left as it is, so the
 * result is readable rather than reversible, and escaping it again changes nothing.
 */
export function escapeControlCharacters(text: string, options: { readonly keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines === true ? CONTROL_CHARACTERS_BUT_NEWLINE : CONTROL_CHARACTERS, visible);
}

/**
 * JSON text (as `JSON.stringify` writes it) with the control and bidi formatting characters it leaves raw
 * (DEL, C1, the bidi marks, embeddings, overrides and isolates, U+2028, U+2029) written as `\uXXXX`
 * escapes: still valid JSON, parsing to the same value, and safe to print to a terminal.
 */
export function escapeJsonControlCharacters(json: string): string {
  return json.replace(CONTROL_CHARACTERS_JSON_LEAVES, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether `text` holds a character {@link escapeControlCharacters} escapes. */
export function hasControlCharacters(text: string): boolean {
  return text.search(CONTROL_CHARACTERS) !== -1;
}
