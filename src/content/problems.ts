export interface ContentProblem {
  /** Relative to the content folder, with "/" separators. */
  file: string;
  /** 1-based line of the offending key, entry or section heading. */
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Collects problems while the library loads; loading never throws for bad content. */
export class Problems {
  readonly list: ContentProblem[] = [];

  error(file: string, line: number, message: string): void {
    this.list.push({ file, line, severity: 'error', message });
  }

  warning(file: string, line: number, message: string): void {
    this.list.push({ file, line, severity: 'warning', message });
  }

  hasErrorIn(file: string): boolean {
    return this.list.some((p) => p.file === file && p.severity === 'error');
  }

  sorted(): ContentProblem[] {
    return [...this.list].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  }
}
