// The embedded sandbox's Deps from the real adapters, for tests and benchmarks that start one in-process:
// the HTTPS server, the state file's reads and atomic writes, and the wall clock unless a test brings one.
import { writeAtomic } from '../../src/adapters/scratch.ts';
import { realFiles } from '../../src/adapters/files.ts';
import { serveStreams } from '../../src/adapters/stream-server.ts';
import type { SandboxServerDeps } from '../../src/sandbox/server/server.ts';

/** Real sandbox deps over `clock` (default the wall clock). */
export function sandboxDeps(clock: { nowMs(): number } = { nowMs: () => Date.now() }): SandboxServerDeps {
  return { clock, files: realFiles, scratch: { writeAtomic }, serveStreams };
}
