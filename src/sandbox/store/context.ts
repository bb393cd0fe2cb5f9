// What code that reads and writes objects is handed: the store, and the few side effects (time, timers,
// randomness) the sandbox receives instead of reaching for them. The API's context and the controllers'
// build on it; objects that are computed when read (metrics.k8s.io) come from a VirtualSource.
import type { Obj } from '../wire/json.ts';
import type { ResourceDef } from './registry.ts';
import type { Store } from './store.ts';

/** Cancels a timer set with SandboxEnv.after. */
export type Cancel = () => void;

/** Time, timers and randomness: real ones in server/server.ts, deterministic ones in tests. */
export interface SandboxEnv {
  nowMs(): number;
  /** Runs `fn` once after `ms` (0 = as soon as the current work is done). */
  after(ms: number, fn: () => void): Cancel;
  /** A random RFC 4122 UUID (object uids). */
  uuid(): string;
  /** `n` random characters from Kubernetes' name alphabet (`bcdfghjklmnpqrstvwxz2456789`). */
  suffix(n: number): string;
}

/** What creating, updating and deleting objects needs: where they are kept, and time and randomness. */
export interface StoreContext {
  store: Store;
  env: SandboxEnv;
}

/** Computes objects that are not stored (metrics.k8s.io) at the moment they are read. */
export interface VirtualSource {
  /** Every object of the resource in `namespace` (all when undefined). */
  list(def: ResourceDef, namespace: string | undefined): Obj[];
}
