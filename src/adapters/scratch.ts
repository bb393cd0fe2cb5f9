// The real Scratch port: the files a command writes for itself. Scratch directories (the demo's example
// project, a sandbox kubeconfig) are private and removed by the command; files it keeps (the sandbox's
// kubeconfig and `--state` file) are replaced whole, so a crash or a concurrent reader never sees half of one.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CpaError } from '../errors.ts';
import type { Scratch } from '../ports.ts';

/** Writes `text` (mode 0600) to a temporary file beside `file` and renames it over `file`, creating parents. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}

/** The real Scratch over the system temp directory. */
export const realScratch: Scratch = {
  makeDir: (prefix) => mkdtemp(join(tmpdir(), prefix)),
  writeText: async (file, text) => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
  },
  writeAtomic,
  remove: (target) => rm(target, { recursive: true, force: true }),
  listDir: async (dir) => {
    try {
      return await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new CpaError(`failed to read directory ${dir}: ${(err as Error).message}`);
    }
  },
};
