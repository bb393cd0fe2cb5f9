// One sandbox without its sockets: the store (fresh with the namespaces, node and CRDs a new cluster has,
// or restored from a snapshot), the API, the built-in controller and the metrics source. server.ts puts it
// on HTTPS; unit tests drive it through `api.handle` with a deterministic SandboxEnv.
import { createApi, type SandboxApi } from '../apiserver/api.ts';
import type { SandboxUser } from '../apiserver/auth.ts';
import type { ApiContext } from '../apiserver/context.ts';
import { Controller } from '../controllers/controller.ts';
import { crdStatus, SANDBOX_CRDS } from '../store/crds.ts';
import { metricsSource, sandboxNode } from '../controllers/metrics.ts';
import { prepareCreate, timestamp } from '../store/objects.ts';
import { findKind, resourceKey } from '../store/registry.ts';
import { Store, type StoreSnapshot } from '../store/store.ts';
import type { Obj } from '../wire/json.ts';
import type { SandboxEnv } from '../store/context.ts';
import { createFromManifest } from '../store/writes.ts';

/** The namespaces every cluster starts with. */
export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Default delay between a pod's creation and it running and Ready. */
export const DEFAULT_START_DELAY_MS = 500;

/** How to build a sandbox core. */
export interface SandboxCoreOptions {
  env: SandboxEnv;
  users: readonly SandboxUser[];
  /** `host:port` as clients reach it. */
  serverAddress: string;
  startDelayMs?: number;
  /** State to restore instead of a fresh cluster. */
  snapshot?: StoreSnapshot;
  /** Told of each request a handler failed on unexpectedly (answered with a 500). */
  onError?: (error: unknown) => void;
}

/** A running sandbox core. */
export interface SandboxCore {
  api: SandboxApi;
  store: Store;
  ctx: ApiContext;
  /** Creates manifest objects (namespace for namespaced kinds without one); 409s for existing names are skipped. */
  load(manifests: readonly Obj[], namespace?: string): Obj[];
  close(): void;
}

/** Writes the objects of a new cluster straight into the store (status included, as their controllers would). */
function bootstrap(ctx: ApiContext): void {
  const put = (apiVersion: string, kind: string, body: Obj, status?: Obj): void => {
    const def = findKind(apiVersion, kind)!;
    const obj = prepareCreate(def, body, '', ctx.env);
    ctx.store.put(resourceKey(def), status === undefined ? obj : { ...obj, status });
  };
  for (const name of INITIAL_NAMESPACES) put('v1', 'Namespace', { metadata: { name } });
  const node = sandboxNode(ctx.env.nowMs());
  put('v1', 'Node', node, node.status as Obj);
  const now = timestamp(ctx.env.nowMs());
  for (const crd of SANDBOX_CRDS)
    put('apiextensions.k8s.io/v1', 'CustomResourceDefinition', crd, crdStatus(crd, now));
}

/** Builds and starts a sandbox core (the controller runs from here on). */
export function createSandboxCore(options: SandboxCoreOptions): SandboxCore {
  // Pods and events come by the thousand, most alike: worth storing compactly (see store/intern.ts).
  const store = new Store(1, ['/pods', '/events', 'apps/replicasets']);
  const ctx: ApiContext = {
    store,
    env: options.env,
    users: options.users,
    serverAddress: options.serverAddress,
    virtual: metricsSource(store, () => options.env.nowMs()),
  };
  if (options.snapshot !== undefined) store.restore(options.snapshot);
  else bootstrap(ctx);
  // Like a freshly started kube-apiserver, whose watch cache begins now.
  store.startHistory();
  const controller = new Controller(ctx, options.startDelayMs ?? DEFAULT_START_DELAY_MS);
  return {
    api: createApi(ctx, options.onError),
    store,
    ctx,
    load(manifests, namespace = 'default') {
      const created: Obj[] = [];
      for (const manifest of manifests) {
        try {
          created.push(createFromManifest(ctx, manifest, namespace));
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err;
        }
      }
      return created;
    },
    close: () => controller.close(),
  };
}
