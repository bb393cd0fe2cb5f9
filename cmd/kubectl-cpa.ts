// Entry point: the only file that touches `process`. Builds the real Deps, runs main, exits with its code.
import { hostname } from 'node:os';
import { createRealDeps } from '../src/deps.ts';
import { main } from '../src/main.ts';
import { VERSION } from '../src/version.ts';

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
