// Running an autoscaler image's user logic outside the image: its config names files by their path inside
// the image (`python /metric.py`). The Dockerfile's ADD/COPY lines tell which local file each path is.
import { basename, join, posix } from 'node:path';

/** One ADD or COPY instruction: local sources and the in-image destination (absolute). */
export interface DockerCopy {
  sources: string[];
  dest: string;
}

/** Joins continuation lines (escape char before the newline) and drops comment lines, as Docker does. */
function logicalLines(text: string): string[] {
  const rawLines = text.replace(/\r\n?/g, '\n').split('\n');
  const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(rawLines[0] ?? '');
  const escape = directive?.[1] ?? '\\';
  const lines: string[] = [];
  let pending = '';
  for (const raw of rawLines) {
    if (/^\s*#/.test(raw)) continue;
    const trimmed = raw.replace(/\s+$/, '');
    if (trimmed.endsWith(escape)) {
      pending += `${trimmed.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + raw);
    pending = '';
  }
  if (pending !== '') lines.push(pending);
  return lines;
}

/** Arguments of an ADD/COPY after its `--flag`s: the JSON-array form or whitespace-separated words. */
function copyArgs(rest: string): { flags: string[]; args: string[] } | null {
  const flags: string[] = [];
  let remaining = rest.trim();
  for (let m = /^(--\S+)\s*/.exec(remaining); m !== null; m = /^(--\S+)\s*/.exec(remaining)) {
    flags.push(m[1] ?? '');
    remaining = remaining.slice(m[0].length);
  }
  if (remaining.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(remaining);
      if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return { flags, args: parsed };
    } catch {
      // Not valid JSON: Docker then treats the line as the plain form, and so do we.
    }
  }
  return { flags, args: remaining.split(/\s+/).filter((a) => a !== '') };
}

/**
 * The ADD/COPY instructions of the final build stage (the image that runs), with destinations made absolute
 * against WORKDIR. Copies `--from` another stage or image, heredocs and lines without a destination are left
 * out: their sources are not local files.
 */
export function parseDockerfileCopies(text: string): DockerCopy[] {
  let copies: DockerCopy[] = [];
  let workdir = '/';
  for (const line of logicalLines(text)) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    const instruction = m?.[1]?.toUpperCase();
    const rest = m?.[2] ?? '';
    if (instruction === 'FROM') [copies, workdir] = [[], '/'];
    if (instruction === 'WORKDIR') workdir = posix.resolve(workdir, rest.trim());
    if (instruction !== 'ADD' && instruction !== 'COPY') continue;
    const parsed = copyArgs(rest);
    if (parsed === null || parsed.flags.some((f) => f.startsWith('--from'))) continue;
    if (parsed.args.length < 2 || parsed.args.some((a) => a.startsWith('<<'))) continue;
    const dest = parsed.args[parsed.args.length - 1] ?? '';
    // `.` is the WORKDIR itself, a directory, like any destination ending in `/`.
    const isDir = dest.endsWith('/') || dest === '.' || dest.endsWith('/.');
    const resolved = posix.resolve(workdir, dest);
    const absolute = isDir && resolved !== '/' ? `${resolved}/` : resolved;
    copies.push({ sources: parsed.args.slice(0, -1), dest: absolute });
  }
  return copies;
}

/** Sources that cannot be mapped file-by-file: URLs, globs, variables, directories written as such. */
function mappable(source: string): boolean {
  return !/^[a-z]+:\/\//i.test(source) && !/[*?[$]/.test(source) && !/(^|\/)\.?\.?\/?$/.test(source);
}

/**
 * Maps each in-image file path the copies create to the local file in `dir` it comes from: dest dir plus
 * basename, or the dest itself for a single source copied to a dest not ending in `/`. Later copies win,
 * as they overwrite earlier ones in the image. Only sources for which `exists` holds are mapped.
 */
export function imagePathMap(
  copies: readonly DockerCopy[],
  dir: string,
  exists: (localPath: string) => boolean,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const copy of copies) {
    const toFile = copy.sources.length === 1 && !copy.dest.endsWith('/');
    for (const source of copy.sources) {
      if (!mappable(source)) continue;
      const local = join(dir, source);
      if (!exists(local)) continue;
      map.set(toFile ? copy.dest : posix.join(copy.dest, basename(source)), local);
    }
  }
  return map;
}

const PATH_CHAR = String.raw`[\w./~+@%-]`;
const SHELL_SAFE = /^[\w./+@%:,=-]+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces whole-path occurrences of the map's image paths in `text` (not `/metric.py` inside
 * `/app/metric.py` or `/metric.pyc`). With `shellQuote`, a local path needing quotes is single-quoted
 * unless it already sits inside quotes. Returns the text and the image paths replaced.
 */
export function rewriteImagePaths(
  text: string,
  map: ReadonlyMap<string, string>,
  shellQuote: boolean,
): { text: string; used: string[] } {
  if (map.size === 0) return { text, used: [] };
  const keys = [...map.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<!${PATH_CHAR})(?:${keys.join('|')})(?!${PATH_CHAR})`, 'g');
  const used = new Set<string>();
  const rewritten = text.replace(pattern, (imagePath: string, offset: number) => {
    used.add(imagePath);
    const local = map.get(imagePath) ?? imagePath;
    const quoted = offset > 0 && /["']/.test(text[offset - 1] ?? '');
    if (!shellQuote || quoted || SHELL_SAFE.test(local)) return local;
    return `'${local.replace(/'/g, `'\\''`)}'`;
  });
  return { text: rewritten, used: [...used] };
}
