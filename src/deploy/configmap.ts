// One ConfigMap per deployed autoscaler: every file of its directory (config, hooks, Dockerfile), so that the
// pod runs it from /etc/kubectl-cpa/NAME exactly as `kubectl cpa run DIR` runs it on a laptop. A ConfigMap
// key cannot hold a `/`, so keys are flattened and the projected volume's `items` put the files back at their
// relative paths.
import { CpaError } from '../errors.ts';
import type { KubeObject } from '../ports.ts';
import { AUTOSCALER_LABEL, labelled, type Installation } from './labels.ts';

/** The API server's bound on a ConfigMap's data (keys plus values, text and binary), as it validates it. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** One file of an autoscaler directory. */
export interface SourceFile {
  /** Relative to the directory, `/`-separated, e.g. `hooks/metric.py`. */
  path: string;
  bytes: Buffer;
}

/** Where one file goes: the ConfigMap key and the path under the autoscaler's mount. */
export interface FileItem {
  key: string;
  path: string;
}

/** The ConfigMap of one autoscaler and the items that lay its files out in the pod. */
export interface AutoscalerConfigMap {
  object: KubeObject;
  items: FileItem[];
}

/** `hooks/metric.py` → `hooks_metric.py`; a second file flattening to the same key gets `-2`, `-3`, … */
export function fileKeys(paths: readonly string[]): FileItem[] {
  const used = new Set<string>();
  return [...paths].sort().map((path) => {
    const base = path.replace(/[^-._a-zA-Z0-9]/g, '_').slice(0, 240);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
    used.add(key);
    return { key, path };
  });
}

function isUtf8Text(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** The largest files, largest first, at most `count`: `a.bin (900000 bytes), b.csv (120000 bytes)`. */
export function largestFiles(files: readonly { path: string; size: number }[], count = 3): string {
  return [...files]
    .sort((a, b) => b.size - a.size || a.path.localeCompare(b.path))
    .slice(0, count)
    .map((f) => `${f.path} (${f.size} bytes)`)
    .join(', ');
}

/** The error of an autoscaler whose files do not fit in a ConfigMap: the total, the limit, the largest files. */
export function tooLargeError(
  autoscaler: string,
  total: number,
  files: readonly { path: string; size: number }[],
): CpaError {
  return new CpaError(
    `failed to deploy autoscaler "${autoscaler}": its files take ${total} bytes, over the ConfigMap limit of ${CONFIGMAP_MAX_BYTES} bytes; largest: ${largestFiles(files)}`,
    {
      hint: 'keep data out of the autoscaler directory (fetch it in a hook, or build an image FROM ours with it)',
    },
  );
}

/**
 * The ConfigMap `<installation>-<autoscaler>` holding `files` (UTF-8 text in `data`, anything else in
 * `binaryData`). Throws CpaError when the data is over the ConfigMap limit, naming the largest files.
 */
export function autoscalerConfigMap(
  inst: Installation,
  autoscaler: string,
  files: readonly SourceFile[],
): AutoscalerConfigMap {
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const items = fileKeys([...byPath.keys()]);
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  let total = 0;
  for (const { key, path } of items) {
    const bytes = byPath.get(path) ?? Buffer.alloc(0);
    total += key.length + bytes.length;
    if (isUtf8Text(bytes)) data[key] = bytes.toString('utf8');
    else binaryData[key] = bytes.toString('base64');
  }
  if (total > CONFIGMAP_MAX_BYTES)
    throw tooLargeError(
      autoscaler,
      total,
      files.map((f) => ({ path: f.path, size: f.bytes.length })),
    );
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: labelled(
      inst,
      { name: configMapName(inst, autoscaler), namespace: inst.namespace },
      { [AUTOSCALER_LABEL]: autoscaler },
    ),
    data,
  };
  if (Object.keys(binaryData).length > 0) object.binaryData = binaryData;
  return { object, items };
}

/** `NAME-AUTOSCALER`: one ConfigMap per autoscaler of the installation. */
export function configMapName(inst: Installation, autoscaler: string): string {
  return `${inst.name}-${autoscaler}`;
}
