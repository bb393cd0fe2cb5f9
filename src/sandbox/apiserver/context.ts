// The state one embedded API works on, handed to every handler, and the small reply helpers they share.
import type { StoreContext, VirtualSource } from '../store/context.ts';
import type { WholeResponse } from '../wire/http.ts';
import type { ApiError } from '../wire/status.ts';
import type { SandboxUser } from './auth.ts';

/** Everything the handlers need: the objects (store, env) plus who may ask and what is computed on read. */
export interface ApiContext extends StoreContext {
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
