// Listing an autoscaler directory for `deploy`: every regular file under it with its size, so that the
// ConfigMap built from it holds the hooks, the config and the Dockerfile and nothing a dot-directory holds
// (.git, .venv). Symbolic links are followed as `run` follows them when it starts a hook.
import { readdir, stat } from 'node:fs/promises';
import { CpaError } from '../errors.ts';

/** Bound on the entries walked: a directory this big is not an autoscaler (a home directory given by mistake). */
const MAX_ENTRIES = 10_000;

/** Sorted relative paths and sizes of the regular files under `dir`; rejects with a CpaError naming `dir`. */
export async function listTree(dir: string): Promise<{ path: string; size: number }[]> {
  const found: { path: string; size: number }[] = [];
  let walked = 0;
  const walk = async (rel: string): Promise<void> => {
    const abs = rel === '' ? dir : `${dir}/${rel}`;
    const names = await readdir(abs).catch((err: NodeJS.ErrnoException) => {
      throw new CpaError(
        `failed to list ${abs}: ${err.code === 'ENOTDIR' ? 'not a directory' : err.message}`,
      );
    });
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      if (++walked > MAX_ENTRIES)
        throw new CpaError(
          `failed to list ${dir}: more than ${MAX_ENTRIES} entries; is it an autoscaler directory?`,
        );
      const path = rel === '' ? name : `${rel}/${name}`;
      const info = await stat(`${dir}/${path}`).catch(() => null);
      if (info?.isDirectory()) await walk(path);
      else if (info?.isFile()) found.push({ path, size: info.size });
    }
  };
  await walk('');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
