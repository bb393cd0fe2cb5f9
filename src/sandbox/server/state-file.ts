// The sandbox's state on disk: the optional state file, read through the Files port and written through
// Scratch.writeAtomic, with the store saved a moment after changes settle so that a restarted sandbox finds
// its objects again.
import { CpaError } from '../../errors.ts';
import type { Files, Scratch } from '../../ports.ts';
import type { SandboxCore } from './core.ts';
import type { StoreSnapshot } from '../store/store.ts';

const SAVE_DEBOUNCE_MS = 200;

/** Far above any sandbox's state (thousands of objects are a few MiB), and below V8's largest string. */
const MAX_STATE_BYTES = 256 * 1024 * 1024;

/** The store saved in `file`; undefined when there is no such file. */
export async function readSnapshot(
  files: Pick<Files, 'readText'>,
  file: string,
): Promise<StoreSnapshot | undefined> {
  // An unreadable file rejects with the Files port's `failed to read FILE: REASON`.
  const text = await files.readText(file, MAX_STATE_BYTES);
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as { store?: StoreSnapshot };
    if (parsed.store === undefined || !Array.isArray(parsed.store.objects))
      throw new Error('no "store" object');
    return parsed.store;
  } catch (err) {
    throw new CpaError(
      `failed to read sandbox state ${file}: not a sandbox state file (${(err as Error).message})`,
      {
        cause: err,
        hint: 'delete the file to start with a fresh sandbox',
      },
    );
  }
}

/** Saves the store a moment after changes settle, and once more on flush. */
export function stateSaver(
  scratch: Pick<Scratch, 'writeAtomic'>,
  core: SandboxCore,
  file: string,
): { flush(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    timer = undefined;
    const text = JSON.stringify({ kind: 'SandboxState', version: 1, store: core.store.snapshot() });
    writing = writing.then(() => scratch.writeAtomic(file, text)).catch(() => {});
    return writing;
  };
  const unsubscribe = core.store.subscribe(() => {
    if (timer === undefined) {
      timer = setTimeout(() => void save(), SAVE_DEBOUNCE_MS);
      timer.unref();
    }
  });
  return {
    flush: async () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      await save();
    },
  };
}
