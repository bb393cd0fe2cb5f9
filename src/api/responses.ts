// The REST API's JSON error shape, shared by the routes and the access checks that run before them.
import { goJson } from '../autoscaler/payloads.ts';
import type { ApiResponse } from '../ports.ts';

/** The two headers CPA puts on every JSON error. */
const JSON_ERROR_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** CPA's error body `{"message":…,"code":…}` with its two headers, plus any `extra` ones. */
export function jsonError(status: number, message: string, extra: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { ...JSON_ERROR_HEADERS, ...extra },
    body: goJson({ message, code: status }),
  };
}
