// What -v 4 and -v 3 show of a method: the command or the URL (secrets hidden), and output without blank lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { methodText, shownOutput } from '../../../src/autoscaler/steps.ts';
import type { Method } from '../../../src/config/types.ts';

const shell = (entrypoint: string, command: string[]): Method => ({
  type: 'shell',
  timeoutMs: 1000,
  shell: { entrypoint, command, logStderr: false },
});
const http = (method: string, url: string): Method => ({
  type: 'http',
  timeoutMs: 1000,
  http: { method, url, headers: {}, successCodes: [200], parameterMode: 'query' },
});

describe('methodText', () => {
  const rows: { given: Method; want: string }[] = [
    { given: shell('python', ['/metric.py']), want: 'python /metric.py' },
    { given: shell('/bin/sh', ['-c', 'echo "a b"; exit 1']), want: '/bin/sh -c "echo \\"a b\\"; exit 1"' },
    { given: http('GET', 'http://metrics:8080/metric'), want: 'GET http://metrics:8080/metric' },
    {
      given: http('POST', 'https://bob:s3cret@h/e?token=abc&x=1'),
      want: 'POST https://bob:***@h/e?token=***&x=1',
    },
  ];
  for (const row of rows) it(row.want, () => assert.equal(methodText(row.given), row.want));
});

describe('shownOutput', () => {
  for (const [given, want] of [
    ['3\n', '3'],
    ['{"targetReplicas": 2}\r\n\n', '{"targetReplicas": 2}'],
    ['a\nb\n', 'a\nb'],
    ['', ''],
  ] as const)
    it(JSON.stringify(given), () => assert.equal(shownOutput(given), want));
});
