// Turns what the API server (or the network) said into a KubeError a person can act on: which verb on
// which object failed, the server's reason in words, and for 403 the exact RBAC rule that is missing.
import { KubeError } from '../errors.ts';
import type { KubeCall } from '../ports.ts';

/** `deployments.apps/scale`: kubectl's spelling of a resource with its group and subresource. */
export function resourceLabel(call: KubeCall): string {
  const group = call.group === '' ? '' : `.${call.group}`;
  const sub = call.subresource === undefined ? '' : `/${call.subresource}`;
  return `${call.resource}${group}${sub}`;
}

/** `deployments.apps/scale "web" in namespace "team-a"`. */
export function objectLabel(call: KubeCall): string {
  const name = call.name === undefined ? '' : ` "${call.name}"`;
  const ns = call.namespace === undefined ? '' : ` in namespace "${call.namespace}"`;
  return `${resourceLabel(call)}${name}${ns}`;
}

/** The subset of a Kubernetes `Status` object we read. */
interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: unknown };
}

function asStatus(body: unknown): StatusBody | null {
  if (typeof body !== 'object' || body === null) return null;
  const obj = body as Record<string, unknown>;
  if (obj.kind !== 'Status' || typeof obj.message !== 'string') return null;
  return obj as StatusBody;
}

/** `NotFound` → `not found`. */
function reasonWords(reason: string): string {
  return reason.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Drops the object name the server puts in front, since our message already names the object. */
function stripServerPrefix(message: string): string {
  const forbidden = message.indexOf(' is forbidden: ');
  if (forbidden >= 0) return message.slice(forbidden + ' is forbidden: '.length);
  const conflict = /^Operation cannot be fulfilled on [^:]+: /.exec(message);
  if (conflict !== null) return message.slice(conflict[0].length);
  return message;
}

/**
 * The `details.causes` a Status message does not already spell out, as `field: message`. Validation errors
 * list their causes in the message; others (admission webhooks, generic 422s) only carry them here.
 */
function unstatedCauses(parsed: StatusBody, message: string): string[] {
  const causes = Array.isArray(parsed.details?.causes) ? (parsed.details.causes as unknown[]) : [];
  const out: string[] = [];
  for (const cause of causes) {
    if (typeof cause !== 'object' || cause === null) continue;
    const { field, message: text } = cause as { field?: unknown; message?: unknown };
    if (typeof text !== 'string' || text === '') continue;
    const line = typeof field === 'string' && field !== '' ? `${field}: ${text}` : text;
    if (!message.includes(line) && !out.includes(line)) out.push(line);
  }
  return out;
}

function causeFromStatus(status: number, statusBody: unknown): { text: string; reason?: string } {
  const parsed = asStatus(statusBody);
  if (parsed === null) {
    const raw = typeof statusBody === 'string' ? statusBody.trim().split('\n')[0]!.slice(0, 200) : '';
    return { text: `HTTP ${status}${raw === '' ? '' : `: ${raw}`}` };
  }
  const reason = parsed.reason ?? '';
  const words = reason === '' ? `HTTP ${status}` : reasonWords(reason);
  const message = stripServerPrefix(parsed.message ?? '');
  const text = message === '' || message.toLowerCase() === words ? words : `${words}: ${message}`;
  const causes = unstatedCauses(parsed, parsed.message ?? '');
  return {
    text: causes.length === 0 ? text : `${text}: ${causes.join('; ')}`,
    reason: reason === '' ? undefined : reason,
  };
}

/** The RBAC rule a 403 says is missing, phrased as `kubectl auth can-i` would check it. */
export function rbacHint(call: KubeCall): string {
  const resource = call.subresource === undefined ? call.resource : `${call.resource}/${call.subresource}`;
  const where = call.namespace === undefined ? 'cluster-wide' : `in namespace "${call.namespace}"`;
  const canI = [
    `kubectl auth can-i ${call.verb} ${call.resource}${call.group === '' ? '' : `.${call.group}`}`,
    call.subresource === undefined ? '' : ` --subresource=${call.subresource}`,
    call.namespace === undefined ? '' : ` -n ${call.namespace}`,
  ].join('');
  return `needs \`${call.verb}\` on \`${resource}\` (apiGroup "${call.group}") ${where}; check with: ${canI}`;
}

/** KubeError for a non-2xx answer, built from the Kubernetes `Status` body when there is one. */
export function kubeErrorFrom(input: { call: KubeCall; status: number; statusBody: unknown }): KubeError {
  const { call, status, statusBody } = input;
  const parsed = asStatus(statusBody);
  const details = {
    verb: call.verb,
    resource: resourceLabel(call),
    namespace: call.namespace,
    name: call.name,
    status,
    reason: parsed?.reason,
  };
  // The target itself is missing: the server's own sentence reads best (`deployments.apps "web" not found`).
  if (status === 404 && parsed !== null && call.name !== undefined && parsed.details?.name === call.name) {
    const ns = call.namespace === undefined ? '' : ` in namespace "${call.namespace}"`;
    return new KubeError(`${parsed.message}${ns}`, details);
  }
  const cause = causeFromStatus(status, statusBody);
  const message = `failed to ${call.verb} ${objectLabel(call)}: ${cause.text}`;
  const hint =
    status === 403 && call.resource.startsWith('/')
      ? `needs \`${call.verb}\` on the non-resource URL ${call.resource}`
      : status === 403
        ? rbacHint(call)
        : status === 401
          ? 'the API server rejected the credentials of the kubeconfig user; refresh them (log in again)'
          : undefined;
  return new KubeError(message, details, { hint });
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL/;

/** KubeError for a request that got no HTTP answer at all (refused, DNS, TLS, timeout). */
export function connectionError(input: { call: KubeCall; server: string; cause: unknown }): KubeError {
  const { call, server, cause } = input;
  const code = errorCode(cause);
  const text = cause instanceof Error ? cause.message : String(cause);
  const withCode = code !== undefined && !text.includes(code) ? `${text} (${code})` : text;
  const hint =
    code !== undefined && TLS_CODE.test(code)
      ? "the server's certificate does not verify against the certificate-authority of the kubeconfig cluster"
      : 'check that the cluster is running and that the kubeconfig context points at it';
  return new KubeError(
    `cannot reach the Kubernetes API at ${server}: ${withCode}`,
    {
      verb: call.verb,
      resource: resourceLabel(call),
      namespace: call.namespace,
      name: call.name,
      reason: code,
    },
    { cause, hint },
  );
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
