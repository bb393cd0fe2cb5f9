// The state one embedded API works on, handed to every handler, and the small reply helpers they share.
import type { SandboxUser } from './auth.ts';
import type { ResourceDef } from './registry.ts';
import type { ApiError } from './status.ts';
import type { Store } from './store.ts';
import type { Obj, SandboxEnv, WholeResponse } from './types.ts';

/** Computes objects that are not stored (metrics.k8s.io) at the moment they are read. */
export interface VirtualSource {
  /** Every object of the resource in `namespace` (all when undefined). */
  list(def: ResourceDef, namespace: string | undefined): Obj[];
}

/** Everything the handlers need. */
export interface ApiContext {
  store: Store;
  env: SandboxEnv;
  users: readonly SandboxUser[];
  /** `host:port` clients reach the server at (for `/api`'s serverAddressByClientCIDRs). */
  serverAddress: string;
  virtual: VirtualSource;
}

/** A JSON answer. */
export function json(status: number, body: unknown, contentType = 'application/json'): WholeResponse {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(body) };
}

/** The Status answer of a refused request. */
export function failure(error: ApiError): WholeResponse {
  return json(error.code, error.body);
}
