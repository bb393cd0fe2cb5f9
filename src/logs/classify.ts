// An entry of any known format → a record with its verbosity evidence and time.
import type { LogEntry } from './entries.ts';
import { classifyGo } from './go-catalogue.ts';
import { classifyOwn } from './own-catalogue.ts';
import type { Classified } from './records.ts';

/** Classifies one entry; entries of no known format become `other`. */
export function classify(entry: LogEntry): Classified {
  const found =
    entry.format === 'glog' || entry.format === 'stdlog'
      ? classifyGo(entry)
      : entry.format === 'text' || entry.format === 'json'
        ? classifyOwn(entry)
        : { record: { kind: 'other' as const } };
  const out: Classified = { record: found.record, format: entry.format };
  if (found.v !== undefined) out.v = found.v;
  if (entry.time !== undefined) out.time = entry.time;
  if (entry.clock !== undefined) out.clock = entry.clock;
  return out;
}
