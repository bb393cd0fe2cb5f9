// The real Scratch.writeAtomic: files a command keeps (the sandbox's kubeconfig and `--state` file) are
// replaced whole, so a crash or a concurrent reader never sees half of one.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `text` (mode 0600) to a temporary file beside `file` and renames it over `file`, creating parents. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}
