// The one way the commands start a sandbox (`sandbox`, `run --sandbox`, `demo`): the HTTPS server of
// server/server.ts, the manifests the command brings, the kubeconfig on disk, and a warning for every
// request the sandbox failed to serve. The kubeconfig carries the sandbox's bearer token: one written to
// scratch space is removed by close(), which callers reach in a `finally`, so errors and signals remove it.
import type { Deps } from '../ports.ts';
import type { SandboxCore } from './server/core.ts';
import type { SandboxHandle, SandboxServerDeps, StartSandboxOptions } from './server/server.ts';
import type { Obj } from './wire/json.ts';

/** Starts the HTTPS sandbox underneath: server/server.ts's startSandbox, or a fake in tests. */
export type StartSandbox = (deps: SandboxServerDeps, options: StartSandboxOptions) => Promise<SandboxHandle>;

/** How to open a sandbox. */
export interface OpenSandboxOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Time from a pod's creation to Running and Ready. */
  startDelayMs?: number;
  /** Restore objects from this file if it exists, and keep it up to date. */
  stateFile?: string;
  /** Objects to create once it runs (in `default` unless they name a namespace); existing names are kept. */
  manifests?: readonly Obj[];
  /** Write the kubeconfig here and leave it there; without it, a scratch file that close() removes. */
  kubeconfigOut?: string;
  /** The server underneath; default the real one, loaded on first use. */
  start?: StartSandbox;
}

/** An open sandbox. */
export interface OpenedSandbox {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  /** The file holding the admin's kubeconfig (server, CA, bearer token). */
  readonly kubeconfigPath: string;
  readonly core: SandboxCore;
  /** The objects `manifests` created (names that existed already are not among them). */
  readonly loaded: readonly Obj[];
  /** Stops the server, then removes the scratch kubeconfig; later calls return the first call's promise. */
  close(): Promise<void>;
}

/** What openSandbox needs of Deps: the sandbox's own (SandboxServerDeps), stderr, and scratch space. */
export type OpenSandboxDeps = SandboxServerDeps & Pick<Deps, 'err' | 'scratch'>;

/** The warning line for a request the sandbox failed to serve (a sandbox bug: that client got a 500). */
function serveFailureWarning(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `warning: sandbox: failed to serve a request: ${message}\n`;
}

// Loaded on first use: the API and the TLS generator are not needed by commands that never start one.
const startReal: StartSandbox = async (deps, options) =>
  (await import('./server/server.ts')).startSandbox(deps, options);

/** Starts a sandbox, writes its kubeconfig and creates `manifests`; on any failure the sandbox is closed. */
export async function openSandbox(
  deps: OpenSandboxDeps,
  options: OpenSandboxOptions = {},
): Promise<OpenedSandbox> {
  const sandbox = await (options.start ?? startReal)(deps, {
    port: options.port,
    startDelayMs: options.startDelayMs,
    stateFile: options.stateFile,
    kubeconfigOut: options.kubeconfigOut,
    onError: (error) => deps.err.write(serveFailureWarning(error)),
  });
  let scratch: string | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await sandbox.close();
      } finally {
        if (scratch !== undefined) await deps.scratch.remove(scratch);
      }
    })());
  try {
    let kubeconfigPath = options.kubeconfigOut;
    if (kubeconfigPath === undefined) {
      scratch = await deps.scratch.makeDir('kubectl-cpa-sandbox-');
      kubeconfigPath = `${scratch}/kubeconfig`;
      await deps.scratch.writeText(kubeconfigPath, sandbox.kubeconfig);
    }
    const manifests = options.manifests ?? [];
    const loaded = manifests.length === 0 ? [] : sandbox.core.load(manifests);
    return { url: sandbox.url, kubeconfigPath, core: sandbox.core, loaded, close };
  } catch (err) {
    // The failure that brought us here says more than one in closing.
    await close().catch(() => {});
    throw err;
  }
}
