const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/**
 * How many arrays and objects `JSON.parse(text)` would make: the `[` and `{` outside strings, counted in
 * one pass without parsing (for text that is not JSON, a count of no meaning). For refusing text whose
 * structure alone would take more memory than allowed, before `JSON.parse` builds it (an empty array
 * costs 3 bytes of text and about 14 bytes of heap).
 */
export function countJsonContainers(text: string): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) count++;
  }
  return count;
}
