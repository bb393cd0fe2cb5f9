// The sandbox's state on disk: the kubeconfig and the optional state file, written atomically, and the
// store saved a moment after changes settle so that a restarted sandbox finds its objects again.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CpaError } from '../../errors.ts';
import type { SandboxCore } from './core.ts';
import type { StoreSnapshot } from '../store/store.ts';

const SAVE_DEBOUNCE_MS = 200;

/** The store saved in `file`; undefined when there is no such file. */
export async function readSnapshot(file: string): Promise<StoreSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CpaError(`failed to read sandbox state ${file}: ${(err as Error).message}`, { cause: err });
  }
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

/** Writes via a temporary file and rename, so a crash never leaves half a file behind. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}

/** Saves the store a moment after changes settle, and once more on flush. */
export function stateSaver(core: SandboxCore, file: string): { flush(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    timer = undefined;
    const text = JSON.stringify({ kind: 'SandboxState', version: 1, store: core.store.snapshot() });
    writing = writing.then(() => writeAtomic(file, text)).catch(() => {});
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
