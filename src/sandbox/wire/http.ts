// Requests and responses of the embedded API as data: what server/ makes of a request that the ServeStreams
// port read off a socket, and what the API answers (whole, or streamed in chunks for watches and log
// follows). The answers are the port's own shapes, written to the socket as they are.
import type { StreamResponse, WholeResponse } from '../../ports.ts';

export type { ChunkWriter, StreamResponse, WholeResponse } from '../../ports.ts';

/** An HTTP request to the embedded API, already read (headers lower-cased). */
export interface SandboxRequest {
  method: string;
  /** Percent-decoded path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  /** The request body as text ('' when there is none). */
  body: string;
  /** The body's bytes, for binary (protobuf) bodies; absent when `body` says it all. */
  bytes?: Buffer;
}

/** What the embedded API answers. */
export type SandboxResponse = WholeResponse | StreamResponse;

/** True for a streamed response. */
export function isStream(response: SandboxResponse): response is StreamResponse {
  return 'run' in response;
}
