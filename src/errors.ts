// Typed errors. Each class maps to one exit code; `main` is the only place that prints them.

/** Base of every error we expect and print without a stack: message reads `failed to <verb> <object>: <cause>`. */
export class CpaError extends Error {
  /** Process exit code when this error ends the program. */
  readonly exitCode: number = 1;
  /** Optional one-line advice printed as `hint: …`. */
  readonly hint?: string;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** Bad flags or arguments (kubectl's convention: exit 2 is not used there, but CPA users expect 2 for usage). */
export class UsageError extends CpaError {
  override readonly exitCode: number = 2;
}

/** The configuration file or environment is invalid; carries every problem found. */
export class ConfigError extends CpaError {
  override readonly exitCode: number = 1;
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[] = [], options?: { hint?: string }) {
    super(message, options);
    this.problems = problems;
  }
}

/** A Kubernetes API call failed; names the verb, resource and namespace. */
export class KubeError extends CpaError {
  readonly details: KubeErrorDetails;
  constructor(message: string, details: KubeErrorDetails, options?: { cause?: unknown; hint?: string }) {
    super(message, options);
    this.details = details;
  }
}

/** What a failed Kubernetes call was doing and what the server said. */
export interface KubeErrorDetails {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
  status?: number;
  reason?: string;
}

/** Walks `cause` links and joins the messages that add information. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (!parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
