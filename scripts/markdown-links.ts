/** A link target found in Markdown, and the 1-based line it is on. */
export interface MarkdownLink {
  target: string;
  line: number;
}

/**
 * Every link target in a Markdown text: inline links and images (`[t](x)`, `![a](x)`), reference definitions
 * (`[id]: x`), autolinks (`<https://…>`) and HTML `href`/`src` attributes. Fenced code blocks and code spans
 * are skipped (their text is code, not links).
 */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const line = index + 1;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (fenceMatch) {
      if (fence === undefined) fence = fenceMatch[1]![0]!.repeat(fenceMatch[1]!.length);
      else if (fenceMatch[1]!.startsWith(fence)) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const prose = text.replace(/(`+)[^`]*?\1/g, '');
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(prose);
    if (definition) links.push({ target: definition[1]!, line });
    for (const m of prose.matchAll(/\]\(\s*<?([^\s)>]+)>?(?:\s+["'(][^)]*)?\)/g)) links.push({ target: m[1]!, line });
    for (const m of prose.matchAll(/<((?:https?|mailto):[^\s>]+)>/g)) links.push({ target: m[1]!, line });
    for (const m of prose.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)) links.push({ target: m[1]!, line });
  });
  return links;
}
