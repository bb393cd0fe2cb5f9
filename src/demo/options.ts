// The options of `kubectl cpa demo`, shared by both stories (demo.ts, cpu-demo.ts).

/** How the demo runs; flags of `kubectl cpa demo`. */
export interface DemoOptions {
  intervalMs: number;
  readyDelayMs: number;
  /** `never` forces the shell variant of the example. */
  python: 'auto' | 'never';
  /** The demo gives up (exit 1) when the story has not finished by then. */
  deadlineMs: number;
  /** `hello` (CPA's getting-started guide, the default) or `cpu` (examples/cpu-utilization). */
  example?: 'hello' | 'cpu';
}
