// Entry point: the only file that touches `process`. Builds the real Deps, runs main, exits with its code.
import { hostname } from 'node:os';
import { createRealDeps } from '../src/deps.ts';
import { main } from '../src/main.ts';
import { VERSION } from '../src/version.ts';

// SIGUSR1 would open the Node inspector on 127.0.0.1:9229 (code execution for any local user who can
// signal us). A listener replaces Node's handler; the launcher also passes --disable-sigusr1, and the
// single binary, which takes no Node flags, relies on this line alone. A stray SIGUSR1 is dropped.
process.on('SIGUSR1', () => undefined);

async function start(): Promise<void> {
  const deps = await createRealDeps({
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    version: VERSION,
    nodeVersion: process.version,
    pid: process.pid,
    hostname: hostname(),
    on: (signal, handler) => void process.on(signal, handler),
    off: (signal, handler) => void process.off(signal, handler),
  });
  const code = await main(process.argv.slice(2), deps);
  // Keep-alive sockets to the API server would hold the process open; exit once both streams are flushed.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

void start();
