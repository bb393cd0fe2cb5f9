// How a hook is started and its tree stopped on each platform, as pure functions of the platform (issue 16).
// POSIX: the spec as written, in its own process group, stopped with kill(-pid). Windows has no /bin/sh and no
// process groups: the default shell becomes cmd.exe and a tree is stopped with `taskkill /T /F`.
import { DEFAULT_SHELL } from '../config/method.ts';

/** What to hand to the spawner: `verbatim` asks Node not to re-quote the arguments (cmd.exe has its own rules). */
export interface Invocation {
  file: string;
  args: string[];
  verbatim: boolean;
}

/** How to stop a hook and everything it started. */
export type TreeKill = { kind: 'group'; pid: number } | { kind: 'taskkill'; file: string; args: string[] };

/**
 * The invocation of `file args` on `platform`. On win32 the POSIX default shell (a seed `shell` string, a v2
 * shell block without `entrypoint`) becomes `cmd.exe /d /s /c "<command>"`: /d skips AutoRun, /s with the
 * outer quotes keeps the command line exactly as written. Everything else runs as written.
 */
export function invocationFor(
  platform: NodeJS.Platform,
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Invocation {
  if (platform !== 'win32' || file !== DEFAULT_SHELL) return { file, args: [...args], verbatim: false };
  const line = args[0] === '-c' && args.length >= 2 ? args[1]! : args.map(quoteForCmd).join(' ');
  return { file: comspecOf(env), args: ['/d', '/s', '/c', `"${line}"`], verbatim: true };
}

/** Whether a hook's tree can be stopped after its first process exited: only a POSIX group outlives it. */
export function killsAfterExit(platform: NodeJS.Platform): boolean {
  return platform !== 'win32';
}

/** Whether the child gets its own process group (POSIX) — on Windows `detached` would open a console instead. */
export function spawnsDetached(platform: NodeJS.Platform): boolean {
  return platform !== 'win32';
}

/** How to stop the tree rooted at `pid`; taskkill by full path so a PATH entry cannot stand in for it. */
export function treeKillFor(
  platform: NodeJS.Platform,
  pid: number,
  env: Readonly<Record<string, string | undefined>>,
): TreeKill {
  if (platform !== 'win32') return { kind: 'group', pid: -pid };
  const root = envValue(env, 'SystemRoot') ?? envValue(env, 'windir');
  const file =
    root !== undefined && isDrivePath(root)
      ? `${root.replace(/[\\/]+$/, '')}\\System32\\taskkill.exe`
      : 'taskkill.exe';
  return { kind: 'taskkill', file, args: ['/pid', String(pid), '/T', '/F'] };
}

/** Whether `file` is a bare name looked up in PATH, rather than a path (`./m.sh`, `C:\hooks\m.exe`, `C:m.exe`). */
export function isCommandName(platform: NodeJS.Platform, file: string): boolean {
  if (platform !== 'win32') return !file.includes('/');
  return !/[\\/]/.test(file) && !/^[A-Za-z]:/.test(file);
}

/** `C:\…` or `C:/…`. */
export function isDrivePath(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path);
}

function comspecOf(env: Readonly<Record<string, string | undefined>>): string {
  return envValue(env, 'ComSpec') ?? 'cmd.exe';
}

/** Windows environment names are case-insensitive (`ComSpec`, `COMSPEC`). */
function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === lower && value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** An argument as cmd.exe reads it: quoted when it holds spaces or quotes, quotes doubled. */
function quoteForCmd(arg: string): string {
  return /[\s"]/.test(arg) || arg === '' ? `"${arg.replace(/"/g, '""')}"` : arg;
}
