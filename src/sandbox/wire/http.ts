// Requests and responses of the embedded API as data: what server/ reads off a socket and hands to the
// socket-free API, and what the API answers (whole, or streamed in chunks for watches and log follows).

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

/** Writes one chunk of a streamed answer. */
export type ChunkWriter = (chunk: string) => void;

/** An answer sent at once. */
export interface WholeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An answer sent in chunks (watch, log follow) until `run` resolves or `signal` aborts (client gone). */
export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  run(write: ChunkWriter, signal: AbortSignal): Promise<void>;
}

/** What the embedded API answers. */
export type SandboxResponse = WholeResponse | StreamResponse;

/** True for a streamed response. */
export function isStream(response: SandboxResponse): response is StreamResponse {
  return 'run' in response;
}
