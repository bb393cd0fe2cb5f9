// "Did you mean …?" for an unknown command or value: a typo within two edits, a prefix, or a word kubectl
// users reach for (`get`, `describe`) that means one of ours. Pure.

/** kubectl's verbs and other habits, and the command that does that here. */
const SYNONYMS: Record<string, { command: string; why: string }> = {
  get: { command: 'status', why: 'status lists autoscalers, like kubectl get hpa' },
  list: { command: 'status', why: 'status lists autoscalers' },
  ls: { command: 'status', why: 'status lists autoscalers' },
  describe: { command: 'status', why: 'status NAME describes one, like kubectl describe hpa' },
  top: { command: 'status', why: 'status shows the last evaluation and replicas' },
  watch: { command: 'status', why: 'status -w watches' },
  log: { command: 'logs', why: '' },
  start: { command: 'run', why: '' },
  apply: { command: 'deploy', why: 'deploy installs an autoscaler in the cluster' },
  install: { command: 'deploy', why: 'deploy installs an autoscaler in the cluster' },
};

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known words closest to `word` (two edits at most, or `word` a prefix of them), closest first. */
export function closest(word: string, known: readonly string[]): string[] {
  const w = word.toLowerCase();
  return known
    .map((k) => ({ k, d: k.startsWith(w) && w.length >= 2 ? 0.5 : editDistance(w, k) }))
    .filter((c) => c.d <= Math.min(2, Math.max(1, Math.floor(c.k.length / 3))) || c.d === 0.5)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .map((c) => c.k);
}

/** The hint for an unknown command among `commands`; undefined when nothing is close. */
export function commandHint(word: string, commands: readonly string[]): string | undefined {
  const synonym = SYNONYMS[word.toLowerCase()];
  if (synonym !== undefined && commands.includes(synonym.command))
    return `did you mean "${synonym.command}"?${synonym.why === '' ? '' : ` (${synonym.why})`}`;
  const [best] = closest(word, commands);
  return best === undefined ? undefined : `did you mean "${best}"?`;
}
