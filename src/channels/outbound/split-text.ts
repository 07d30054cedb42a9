const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * Splits text into parts whose length — in UTF-16 code units, which is how the platforms count and never less than
 * what a person sees — is at most `limit`. It cuts between paragraphs if it can, else after a sentence, else between
 * words; only a single word longer than the limit is cut inside, and never inside a character (emoji and flags stay
 * whole). Parts are trimmed and never empty.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = lastBoundary(rest, limit);
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) parts.push(rest);
  return parts.filter((p) => p.length > 0);
}

/** Offset in `text` at which to cut so the first part fits in `limit`. */
function lastBoundary(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const minimum = Math.floor(limit / 2);
  for (const boundary of [/\n\s*\n/g, /[.!?…]["')\]]?\s+/g, /\s+/g]) {
    let best = -1;
    for (const match of window.matchAll(boundary)) {
      const end = match.index + match[0].length;
      if (end <= limit + 1 && match.index <= limit && end >= minimum) best = Math.min(end, limit);
    }
    if (best > 0) return best;
  }
  let end = 0;
  // A little past the limit, so the last character the segmenter sees is whole.
  for (const { segment } of graphemes.segment(text.slice(0, limit + 32))) {
    if (end + segment.length > limit) break;
    end += segment.length;
  }
  return Math.max(end, 1);
}
