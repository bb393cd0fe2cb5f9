// Invalid methods: shell, http, hooks and the seed form.
import { describe, it } from 'node:test';
import { assertIssues, BASE, EVALUATE, load, type LoadOptions, type WantIssue } from './fixtures.ts';

/** A file whose metric method is `metricYaml` (indented under `metric:`), with a valid evaluate. */
const withMetric = (metricYaml: string): string => `metric:\n${metricYaml}${EVALUATE}`;
const SHELL_HEAD = '  type: shell\n  timeout: 1000\n';
const HTTP_HEAD = '  type: http\n  timeout: 1000\n';
const HTTP_OK = 'method: GET, url: "http://127.0.0.1:8080/m", successCodes: [200], parameterMode: query';
const SEED_EVALUATE = 'evaluate: {type: shell, timeout: 1000, shell: "python /e.py"}\n';

const rows: { name: string; given: { text: string } & LoadOptions; want: WantIssue[] }[] = [
  { name: 'metric missing', given: { text: EVALUATE }, want: [{ path: 'metric', has: ['is required'] }] },
  {
    name: 'evaluate null',
    given: { text: `${BASE.slice(0, BASE.indexOf('evaluate'))}evaluate: null\n` },
    want: [{ path: 'evaluate', has: ['is required'], line: 5 }],
  },
  {
    name: 'method as a plain string',
    given: { text: `metric: python /m.py\n${EVALUATE}` },
    want: [
      { path: 'metric', has: ['must be a method mapping {type, timeout, shell | http}, got "python /m.py"'] },
    ],
  },
  {
    name: 'type missing',
    given: { text: withMetric('  timeout: 1000\n  shell: {entrypoint: x}\n') },
    want: [{ path: 'metric.type', has: ['is required: "shell" or "http"'], line: 2 }],
  },
  {
    name: 'type unknown',
    given: { text: withMetric('  type: exec\n  shell: {entrypoint: x}\n') },
    want: [{ path: 'metric.type', has: ['must be one of "shell", "http", got "exec"'], line: 2, column: 9 }],
  },
  {
    name: 'type cased',
    given: { text: withMetric('  type: Shell\n  shell: {entrypoint: x}\n') },
    want: [{ path: 'metric.type', has: ['case-sensitive: "shell"'] }],
  },
  {
    name: 'timeout 0 (CPA: every call times out)',
    given: { text: withMetric('  type: shell\n  timeout: 0\n  shell: {entrypoint: x}\n') },
    want: [
      {
        path: 'metric.timeout',
        has: ['must be a positive integer (milliseconds), got 0', 'times out every call'],
        line: 3,
        column: 12,
      },
    ],
  },
  {
    name: 'timeout with a unit',
    given: { text: withMetric('  type: shell\n  timeout: 2s\n  shell: {entrypoint: x}\n') },
    want: [{ path: 'metric.timeout', has: ['got "2s"'] }],
  },
  {
    name: 'shell block missing',
    given: { text: withMetric(SHELL_HEAD) },
    want: [{ path: 'metric.shell', has: ['is required when type is "shell"'] }],
  },
  {
    name: 'shell block empty',
    given: { text: withMetric(`${SHELL_HEAD}  shell: {}\n`) },
    want: [{ path: 'metric.shell', has: ['needs "entrypoint"', 'or "command"'] }],
  },
  {
    name: 'command as one string (the v0.9 form)',
    given: { text: withMetric(`${SHELL_HEAD}  shell: {entrypoint: python, command: /m.py}\n`) },
    want: [
      {
        path: 'metric.shell.command',
        has: ['must be a list of arguments (since CPA v0.10), got "/m.py"; write ["/m.py"]'],
      },
    ],
  },
  {
    name: 'command item not a string',
    given: {
      text: withMetric(
        `${SHELL_HEAD}  shell:\n    entrypoint: python\n    command:\n      - /m.py\n      - {a: 1}\n`,
      ),
    },
    want: [{ path: 'metric.shell.command[1]', has: ['must be a string, got {"a":1}'], line: 8, column: 9 }],
  },
  {
    name: 'entrypoint empty',
    given: { text: withMetric(`${SHELL_HEAD}  shell: {entrypoint: ""}\n`) },
    want: [{ path: 'metric.shell.entrypoint', has: ['must be a non-empty string'] }],
  },
  {
    name: 'logStderr not a boolean',
    given: { text: withMetric(`${SHELL_HEAD}  shell: {entrypoint: x, logStderr: sometimes}\n`) },
    want: [{ path: 'metric.shell.logStderr', has: ['must be true or false'] }],
  },
  {
    name: 'method key typo',
    given: { text: withMetric('  type: shell\n  timout: 1000\n  shell: {entrypoint: x}\n') },
    want: [
      { path: 'metric.timout', has: ['unknown key "timout"; did you mean "timeout"?'], line: 3, column: 3 },
    ],
  },
  {
    name: 'shell unknown key',
    given: { text: withMetric(`${SHELL_HEAD}  shell: {entrypoint: x, args: [y]}\n`) },
    want: [{ path: 'metric.shell.args', has: ['allowed: entrypoint, command, logStderr'] }],
  },
  {
    name: 'http block missing',
    given: { text: withMetric(HTTP_HEAD) },
    want: [{ path: 'metric.http', has: ['is required when type is "http"'] }],
  },
  {
    name: 'http block empty',
    given: { text: withMetric(`${HTTP_HEAD}  http: {}\n`) },
    want: [
      { path: 'metric.http.method', has: ['is required: an HTTP method'] },
      { path: 'metric.http.url', has: ['is required: an http:// or https:// URL'] },
      { path: 'metric.http.successCodes', has: ['is required: a non-empty list'] },
      { path: 'metric.http.parameterMode', has: ['is required: "query"', 'or "body"'] },
    ],
  },
  {
    name: 'url not a URL',
    given: {
      text: withMetric(
        `${HTTP_HEAD}  http: {${HTTP_OK.replace('"http://127.0.0.1:8080/m"', 'not a url')}}\n`,
      ),
    },
    want: [
      { path: 'metric.http.url', has: ['must be an absolute http:// or https:// URL, got "not a url"'] },
    ],
  },
  {
    name: 'url not http',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK.replace('http://', 'ftp://')}}\n`) },
    want: [{ path: 'metric.http.url', has: ['must use http or https, got "ftp"'] }],
  },
  {
    name: 'successCodes empty (CPA: every call fails)',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK.replace('[200]', '[]')}}\n`) },
    want: [
      {
        path: 'metric.http.successCodes',
        has: ['must be a non-empty list of HTTP status codes (100-599)', 'got []'],
      },
    ],
  },
  {
    name: 'successCodes out of range',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK.replace('[200]', '[200, 700]')}}\n`) },
    want: [{ path: 'metric.http.successCodes[1]', has: ['an integer from 100 to 599, got 700'] }],
  },
  {
    name: 'parameterMode unknown',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK.replace('query', 'json')}}\n`) },
    want: [{ path: 'metric.http.parameterMode', has: ['must be one of "query", "body", got "json"'] }],
  },
  {
    name: 'method not a token',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK.replace('GET', '"GE T"')}}\n`) },
    want: [{ path: 'metric.http.method', has: ['must be an HTTP method token', 'got "GE T"'] }],
  },
  {
    name: 'clientCert without clientKey',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK}, clientCert: /c.pem}\n`) },
    want: [{ path: 'metric.http.clientKey', has: ['is required when clientCert is set'] }],
  },
  {
    name: 'headers as a list',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK}, headers: [a]}\n`) },
    want: [{ path: 'metric.http.headers', has: ['must be a mapping of header name to value'] }],
  },
  {
    name: 'header name with a space and a header value that is a mapping',
    given: { text: withMetric(`${HTTP_HEAD}  http: {${HTTP_OK}, headers: {"X Bad": v, X-Ok: {a: b}}}\n`) },
    want: [
      { path: 'metric.http.headers.X Bad', has: ['is not a valid HTTP header name'] },
      { path: 'metric.http.headers.X-Ok', has: ['must be a string, got {"a":"b"}'] },
    ],
  },
  {
    name: 'hook without its shell block',
    given: { text: `${BASE}preScale: {type: shell, timeout: 5}\n` },
    want: [{ path: 'preScale.shell', has: ['is required when type is "shell"'], line: 9 }],
  },
  {
    name: 'hook name mistyped',
    given: { text: `${BASE}preScaling: {type: shell}\n` },
    want: [{ path: 'preScaling', has: ['did you mean "preScale"?'] }],
  },
  {
    name: 'JSON command with a number (strict strings)',
    given: {
      text: JSON.stringify({
        metric: { type: 'shell', timeout: 1, shell: { entrypoint: 'sleep', command: [1] } },
        evaluate: { type: 'shell', timeout: 1, shell: { entrypoint: 'x' } },
      }),
    },
    want: [{ path: 'metric.shell.command[0]', has: ['must be a string, got 1'] }],
  },
  {
    name: 'seed method with an unknown type',
    given: { text: `metric: {type: exec, timeout: 1, shell: "cat"}\n${SEED_EVALUATE}` },
    want: [{ path: 'metric.type', has: ['must be one of "shell", got "exec"'] }],
  },
  {
    name: 'seed shell string empty',
    given: { text: `metric: {type: shell, timeout: 1, shell: ""}\n${SEED_EVALUATE}` },
    want: [{ path: 'metric.shell', has: ['must be a non-empty string'] }],
  },
  {
    name: 'seed method without shell',
    given: { text: `metric: {type: shell, timeout: 1}\n${SEED_EVALUATE}` },
    want: [{ path: 'metric.shell', has: ['is required: the command line to run'] }],
  },
  {
    name: 'seed method missing, with the seed example',
    given: { text: SEED_EVALUATE },
    want: [{ path: 'metric', has: ['e.g. {type: shell, timeout: 2500, shell: "python /metric.py"}'] }],
  },
  {
    name: 'seed port out of range',
    given: { text: `${SEED_EVALUATE}metric: {type: shell, timeout: 1, shell: cat}\nport: 70000\n` },
    want: [{ path: 'port', has: ['an integer from 0 to 65535, got 70000'], line: 3 }],
  },
  {
    name: 'seed scaleTargetRef without name',
    given: {
      text: `${SEED_EVALUATE}metric: {type: shell, timeout: 1, shell: cat}\nscaleTargetRef: {kind: Deployment}\n`,
    },
    want: [{ path: 'scaleTargetRef.name', has: ['is required'] }],
  },
  {
    name: 'seed file with a v2-only key name',
    given: { text: `${SEED_EVALUATE}metric: {type: shell, timeout: 1, shell: cat}\nintervall: 1\n` },
    want: [{ path: 'intervall', has: ['did you mean "interval"?'] }],
  },
];

describe('loadConfig: invalid methods', () => {
  for (const { name, given, want } of rows) it(name, () => assertIssues(load(given.text, given), want));
});
