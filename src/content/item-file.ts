/** One `## xx` section of a message or answer file. */
export interface Section {
  heading: string;
  /** Line of the `## xx` heading. */
  line: number;
  /** The lines below the heading, as written. */
  lines: string[];
}

export interface ItemFile {
  frontMatter: string;
  /** File line of the first front-matter line, just below the opening `---`. */
  frontMatterLine: number;
  /** File line where the body starts, just below the closing `---`. */
  bodyLine: number;
  sections: Section[];
  /** Lines of non-blank text before the first heading. */
  strayLines: number[];
}

export type SplitResult = { ok: true; item: ItemFile } | { ok: false; line: number; reason: 'no-front-matter' | 'unclosed' };

const FENCE = '---';
const HEADING = /^##\s+(.*?)\s*$/;

/** Splits `---` front matter from the body and the body into its `## xx` sections. */
export function splitItemFile(text: string): SplitResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== FENCE) return { ok: false, line: 1, reason: 'no-front-matter' };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === FENCE);
  if (close < 0) return { ok: false, line: 1, reason: 'unclosed' };

  const sections: Section[] = [];
  const strayLines: number[] = [];
  lines.slice(close + 1).forEach((line, i) => {
    const lineNumber = close + 2 + i;
    const heading = HEADING.exec(line);
    const current = sections.at(-1);
    if (heading) sections.push({ heading: heading[1] ?? '', line: lineNumber, lines: [] });
    else if (current) current.lines.push(line);
    else if (line.trim() !== '') strayLines.push(lineNumber);
  });
  return {
    ok: true,
    item: { frontMatter: lines.slice(1, close).join('\n'), frontMatterLine: 2, bodyLine: close + 2, sections, strayLines },
  };
}
