// The real wiring of the ports (src/ports.ts): cmd/kubectl-cpa.ts builds the program's Deps with
// createRealDeps(); tests build their own from hand-written fakes. The only module that imports the adapters.
import type { Clock, Deps, Output } from './ports.ts';

/** Where the real Deps get their process-level facts; cmd/kubectl-cpa.ts passes `process` pieces in. */
export interface ProcessFacts {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  version: string;
  nodeVersion: string;
  pid: number;
  hostname: string;
  on(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  off(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}

function outputOf(stream: NodeJS.WriteStream): Output {
  return { write: (text) => void stream.write(text), isTTY: stream.isTTY === true };
}

const realClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Builds the real Deps. Heavy adapters (client-node, servers) are loaded only when a command uses them. */
export async function createRealDeps(facts: ProcessFacts): Promise<Deps> {
  const { realFiles: files } = await import('./adapters/files.ts');
  const { realScratch: scratch } = await import('./adapters/scratch.ts');
  const os = await import('node:os');
  return {
    clock: realClock,
    env: facts.env,
    cwd: facts.cwd,
    out: outputOf(facts.stdout),
    err: outputOf(facts.stderr),
    files,
    scratch,
    runProcess: async (spec) => (await import('./adapters/process.ts')).runProcess(spec),
    httpRequest: async (spec) => (await import('./adapters/http-client.ts')).httpRequest(spec),
    serveHttp: async (options) => (await import('./adapters/http-server.ts')).serveHttp(options),
    serveStreams: async (options) => (await import('./adapters/stream-server.ts')).serveStreams(options),
    connectKube: async (options) => {
      return (await import('./adapters/kube-connect.ts')).connectKube(
        options,
        facts.env,
        os.homedir(),
        files,
      );
    },
    onShutdownSignal: (handler) => {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      facts.on('SIGINT', onInt);
      facts.on('SIGTERM', onTerm);
      return () => {
        facts.off('SIGINT', onInt);
        facts.off('SIGTERM', onTerm);
      };
    },
    host: { hostname: facts.hostname, pid: facts.pid, node: facts.nodeVersion },
    version: facts.version,
  };
}
