// The platform choices of the process runner, with the platform as a parameter: Windows' cmd.exe shell,
// taskkill tree kill and drive-letter paths are checked here on any machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  invocationFor,
  isCommandName,
  killsAfterExit,
  spawnsDetached,
  treeKillFor,
  type Invocation,
  type TreeKill,
} from '../../../src/adapters/process-platform.ts';

const WIN_ENV = { ComSpec: 'C:\\Windows\\system32\\cmd.exe', SystemRoot: 'C:\\Windows' };

describe('invocationFor', () => {
  const rows: {
    name: string;
    given: [NodeJS.Platform, string, string[], Record<string, string | undefined>];
    want: Invocation;
  }[] = [
    {
      name: 'linux: the default shell runs as written',
      given: ['linux', '/bin/sh', ['-c', 'echo 1'], {}],
      want: { file: '/bin/sh', args: ['-c', 'echo 1'], verbatim: false },
    },
    {
      name: 'darwin: a program runs as written',
      given: ['darwin', 'python3', ['/m.py'], {}],
      want: { file: 'python3', args: ['/m.py'], verbatim: false },
    },
    {
      name: 'win32: a shell string runs with cmd.exe /d /s /c, the line kept whole',
      given: ['win32', '/bin/sh', ['-c', 'metric.exe "a b" & echo 2'], WIN_ENV],
      want: {
        file: 'C:\\Windows\\system32\\cmd.exe',
        args: ['/d', '/s', '/c', '"metric.exe "a b" & echo 2"'],
        verbatim: true,
      },
    },
    {
      name: 'win32: a shell block without entrypoint runs its command with cmd.exe, arguments quoted',
      given: ['win32', '/bin/sh', ['C:\\hooks\\metric.cmd', 'two words', 'x"y'], { COMSPEC: 'D:\\cmd.exe' }],
      want: {
        file: 'D:\\cmd.exe',
        args: ['/d', '/s', '/c', '"C:\\hooks\\metric.cmd "two words" "x""y""'],
        verbatim: true,
      },
    },
    {
      name: 'win32: without ComSpec, cmd.exe from PATH',
      given: ['win32', '/bin/sh', ['-c', 'ver'], {}],
      want: { file: 'cmd.exe', args: ['/d', '/s', '/c', '"ver"'], verbatim: true },
    },
    {
      name: 'win32: an explicit program runs as written',
      given: ['win32', 'C:\\Python\\python.exe', ['C:\\hooks\\m.py'], WIN_ENV],
      want: { file: 'C:\\Python\\python.exe', args: ['C:\\hooks\\m.py'], verbatim: false },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(invocationFor(...row.given), row.want));
});

describe('treeKillFor', () => {
  const rows: {
    name: string;
    given: [NodeJS.Platform, number, Record<string, string | undefined>];
    want: TreeKill;
  }[] = [
    { name: 'linux: the whole group', given: ['linux', 4242, {}], want: { kind: 'group', pid: -4242 } },
    { name: 'darwin: the whole group', given: ['darwin', 7, {}], want: { kind: 'group', pid: -7 } },
    {
      name: 'win32: taskkill /T /F from SystemRoot',
      given: ['win32', 4242, WIN_ENV],
      want: {
        kind: 'taskkill',
        file: 'C:\\Windows\\System32\\taskkill.exe',
        args: ['/pid', '4242', '/T', '/F'],
      },
    },
    {
      name: 'win32: windir when SystemRoot is missing, trailing slash dropped',
      given: ['win32', 9, { WINDIR: 'E:\\Win\\' }],
      want: { kind: 'taskkill', file: 'E:\\Win\\System32\\taskkill.exe', args: ['/pid', '9', '/T', '/F'] },
    },
    {
      name: 'win32: a SystemRoot that is not a drive path is not trusted',
      given: ['win32', 9, { SystemRoot: 'Windows' }],
      want: { kind: 'taskkill', file: 'taskkill.exe', args: ['/pid', '9', '/T', '/F'] },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(treeKillFor(...row.given), row.want));
});

describe('isCommandName', () => {
  const rows: { given: [NodeJS.Platform, string]; want: boolean }[] = [
    { given: ['linux', 'python3'], want: true },
    { given: ['linux', './m.sh'], want: false },
    { given: ['linux', 'C:\\m.exe'], want: true },
    { given: ['win32', 'python'], want: true },
    { given: ['win32', 'C:\\hooks\\m.exe'], want: false },
    { given: ['win32', 'C:/hooks/m.exe'], want: false },
    { given: ['win32', 'C:m.exe'], want: false },
    { given: ['win32', 'hooks\\m.exe'], want: false },
    { given: ['win32', '\\\\server\\share\\m.exe'], want: false },
  ];
  for (const row of rows) {
    it(`${row.given[0]} ${row.given[1]} → ${row.want}`, () =>
      assert.equal(isCommandName(...row.given), row.want));
  }
});

describe('process groups', () => {
  const rows: { platform: NodeJS.Platform; want: boolean }[] = [
    { platform: 'linux', want: true },
    { platform: 'darwin', want: true },
    { platform: 'win32', want: false },
  ];
  for (const row of rows) {
    it(`${row.platform}: detached and killed after exit: ${row.want}`, () => {
      assert.equal(spawnsDetached(row.platform), row.want);
      assert.equal(killsAfterExit(row.platform), row.want);
    });
  }
});
