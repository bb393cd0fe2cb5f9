// A Logger that filters by verbosity and writes formatted lines to a text stream (stderr).
import type { Clock, Output } from '../ports.ts';
import type { LogEvent, Logger } from './events.ts';
import { formatJson, formatText } from './format.ts';

export type LogFormat = 'text' | 'json';

/** The verbosity at which an event is shown; decisions, errors, warnings and requested stderr always are. */
function levelOf(event: LogEvent): number {
  return event.kind === 'info' ? event.level : 0;
}

/** Builds the program's logger; `verbosity` is `-v N` or the config's `logVerbosity`. */
export function createLogger(options: {
  out: Output;
  clock: Clock;
  verbosity: number;
  format: LogFormat;
  /**
   * The autoscaler the lines are about: JSON lines carry it as `autoscaler`; text lines start with
   * `[name]` when `nameInText` (a process running several autoscalers).
   */
  autoscaler?: string;
  nameInText?: boolean;
}): Logger {
  const { out, clock, verbosity, format, autoscaler } = options;
  const textPrefix = autoscaler !== undefined && options.nameInText === true ? `[${autoscaler}] ` : '';
  return {
    enabled: (level) => level <= verbosity,
    log(event) {
      if (levelOf(event) > verbosity) return;
      const time = new Date(clock.nowMs()).toISOString();
      if (format === 'json') out.write(formatJson(event, time, autoscaler) + '\n');
      else out.write(`${time} ${textPrefix}${formatText(event, time).slice(time.length + 1)}\n`);
    },
  };
}
