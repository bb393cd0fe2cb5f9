// Calling user logic from the pipeline: one place that turns a HookResult into either output or a StepError.
import { callMethod, describeFailure, type MethodContext } from '../hooks/execute.ts';
import { redactUrl } from '../hooks/redact.ts';
import type { Method } from '../config/types.ts';
import type { Logger, Stage } from '../logger/events.ts';

/** A failed pipeline step; `message` is the whole chain the user sees. */
export class StepError extends Error {
  readonly stage: Stage;
  constructor(stage: Stage, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.stage = stage;
    this.name = 'StepError';
  }
}

/** Names a method for messages: `metric`, `evaluate`, `preScale hook`. */
function label(name: string): string {
  return name === 'metric' || name === 'evaluate' ? name : `${name} hook`;
}

/** Hook output in a -v 3 line: the trailing line break a script prints would leave a blank line in the log. */
export function shownOutput(output: string): string {
  return output.replace(/(\r?\n)+$/, '');
}

/** What -v 4 shows of a method, as CPA logs it: the command line, or the HTTP method and URL (secrets hidden). */
export function methodText(method: Method): string {
  if (method.type === 'http') return `${method.http.method} ${redactUrl(method.http.url)}`;
  const quote = (word: string) => (/^[-\w./=:@%+,]+$/.test(word) ? word : JSON.stringify(word));
  return [method.shell.entrypoint, ...method.shell.command].map(quote).join(' ');
}

/**
 * Calls one method with `payload` and returns its output. Logs stderr when the method asks for it, and
 * throws a StepError whose message starts with `context` (CPA's wording) and names the method.
 */
export async function callStep(
  name: string,
  method: Method,
  payload: string,
  io: { methods: MethodContext; logger: Logger; stage: Stage; context: string },
): Promise<string> {
  io.logger.log({
    kind: 'info',
    level: 4,
    message: `calling ${label(name)} (${method.type}): ${methodText(method)}`,
    fields: { payload },
  });
  const result = await callMethod(method, payload, io.methods);
  io.methods.observe?.(name, result);
  if (method.type === 'shell' && method.shell.logStderr) {
    io.logger.log({
      kind: 'hook-stderr',
      hook: name,
      stderr: result.ok ? result.stderr : (result.failure.detail ?? ''),
    });
  }
  if (!result.ok)
    throw new StepError(io.stage, `${io.context}: ${describeFailure(label(name), result.failure)}`);
  return result.output;
}

/** Runs an optional hook; its output is ignored (CPA logs it at verbosity 3). */
export async function callHook(
  name: string,
  method: Method | undefined,
  payload: string,
  io: { methods: MethodContext; logger: Logger; context: string },
): Promise<void> {
  if (!method) return;
  const output = await callStep(name, method, payload, { ...io, stage: 'hook' });
  io.logger.log({ kind: 'info', level: 3, message: `${name} hook response: ${shownOutput(output)}` });
}
