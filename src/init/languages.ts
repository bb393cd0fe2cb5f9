// The metric and evaluate hooks `init` writes, per language. Each is a correct, small program: the metric
// hook prints one number read from the resource it is given, the evaluate hook sums the metrics (one per
// resource, or one per pod) and asks for ceil(total / LOAD_PER_REPLICA) replicas. Replace the metric's body
// with your real source; keep the evaluator's input handling.
import { HOOK_LOAD_ANNOTATION, LOAD_PER_REPLICA } from './sample.ts';

/** One language's files and how config.yaml starts them. */
export interface LanguageFiles {
  /** Base image of the in-cluster Dockerfile. */
  base: string;
  /** The interpreter the shell method starts (entrypoint). */
  entrypoint: string;
  metric: { file: string; text: string };
  evaluate: { file: string; text: string };
  /** The HTTP evaluator (--http), served on 127.0.0.1:EVALUATE_PORT; absent for bash. */
  server?: { file: string; text: string; start: string };
}

/** Where the --http evaluator listens. */
export const EVALUATE_PORT = 8081;

const PER_RESOURCE_NOTE = 'the target itself';
const PER_POD_NOTE = 'one pod of the target (per-pod mode: the hook runs once per pod)';

function python(perPod: boolean): LanguageFiles {
  return {
    base: 'python:3.12-slim',
    entrypoint: 'python3',
    metric: {
      file: 'metric.py',
      text: `"""Metric hook: prints one number for ${perPod ? PER_POD_NOTE : PER_RESOURCE_NOTE}.

Input on stdin: {"resource": <the Kubernetes object>, "runType": "scaler"|"api"|"api_dry_run"}.
This sample reads the ${HOOK_LOAD_ANNOTATION} annotation; replace the body with your real source (a
Prometheus query, a queue length, an HTTP endpoint). Whatever it prints is the metric's value.
"""
import json
import sys

ANNOTATION = "${HOOK_LOAD_ANNOTATION}"


def main():
    info = json.load(sys.stdin)
    metadata = info["resource"]["metadata"]
    annotations = metadata.get("annotations") or {}
    if ANNOTATION not in annotations:
        sys.exit(f"no {ANNOTATION} annotation on {metadata['name']}")
    sys.stdout.write(annotations[ANNOTATION])


if __name__ == "__main__":
    main()
`,
    },
    evaluate: {
      file: 'evaluate.py',
      text: `"""Evaluate hook: turns the metrics into a replica count.

Input on stdin: {"metrics": [{"resource": NAME, "value": TEXT}, ...] or null, "resource": <the target>,
"runType": ...}. "metrics" is a list with one entry per ${perPod ? 'pod' : 'resource (here: just the target)'}; each value is
what the metric hook printed. Output: {"targetReplicas": N}; min/max clamps and stabilization happen after.
"""
import json
import math
import sys

LOAD_PER_REPLICA = ${LOAD_PER_REPLICA}


def evaluate(spec):
    metrics = spec.get("metrics") or []
    if not metrics:
        raise ValueError("no metrics to evaluate")
    total = sum(float(m["value"]) for m in metrics)
    return {"targetReplicas": math.ceil(total / LOAD_PER_REPLICA)}


def main():
    try:
        result = evaluate(json.load(sys.stdin))
    except (ValueError, KeyError) as err:
        sys.exit(f"cannot evaluate: {err}")
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
`,
    },
    server: {
      file: 'evaluate_server.py',
      start: 'python3 /evaluate_server.py',
      text: `"""The evaluate hook over HTTP (config.yaml: evaluate.type http): POST the evaluate input, get
{"targetReplicas": N}. Start it before kubectl cpa run: python3 evaluate_server.py (PORT=… to move it;
config.yaml's evaluate.http.url must follow).
"""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from evaluate import evaluate

PORT = int(os.environ.get("PORT", "${EVALUATE_PORT}"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            status, answer = 200, json.dumps(evaluate(json.loads(body)))
        except (ValueError, KeyError) as err:
            status, answer = 400, f"cannot evaluate: {err}"
        data = answer.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
`,
    },
  };
}

function node(perPod: boolean): LanguageFiles {
  return {
    base: 'node:22-slim',
    entrypoint: 'node',
    metric: {
      file: 'metric.mjs',
      text: `// Metric hook: prints one number for ${perPod ? PER_POD_NOTE : PER_RESOURCE_NOTE}.
// Input on stdin: {"resource": <the Kubernetes object>, "runType": "scaler"|"api"|"api_dry_run"}.
// This sample reads the ${HOOK_LOAD_ANNOTATION} annotation; replace it with your real source (a Prometheus
// query, a queue length, an HTTP endpoint). Whatever it prints is the metric's value.
import { exit, stderr, stdin, stdout } from 'node:process';
import { text } from 'node:stream/consumers';

const ANNOTATION = '${HOOK_LOAD_ANNOTATION}';

const { resource } = JSON.parse(await text(stdin));
const value = resource.metadata.annotations?.[ANNOTATION];
if (value === undefined) {
  stderr.write(\`no \${ANNOTATION} annotation on \${resource.metadata.name}\\n\`);
  exit(1);
}
stdout.write(value);
`,
    },
    evaluate: {
      file: 'evaluate.mjs',
      text: `// Evaluate hook: turns the metrics into a replica count.
// Input on stdin: {"metrics": [{"resource": NAME, "value": TEXT}, ...] or null, "resource": <the target>,
// "runType": ...}. "metrics" has one entry per ${perPod ? 'pod' : 'resource (here: just the target)'}; each value is what the metric hook
// printed. Output: {"targetReplicas": N}; min/max clamps and stabilization happen after.
import { argv, exit, stderr, stdin, stdout } from 'node:process';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';

export const LOAD_PER_REPLICA = ${LOAD_PER_REPLICA};

/** The replica count for one evaluate input; throws when there is nothing to evaluate. */
export function evaluate(spec) {
  const metrics = spec.metrics ?? [];
  if (metrics.length === 0) throw new Error('no metrics to evaluate');
  const total = metrics.reduce((sum, m) => sum + Number(m.value), 0);
  if (!Number.isFinite(total)) throw new Error('a metric value is not a number');
  return { targetReplicas: Math.ceil(total / LOAD_PER_REPLICA) };
}

if (import.meta.url === pathToFileURL(argv[1] ?? '').href) {
  try {
    stdout.write(JSON.stringify(evaluate(JSON.parse(await text(stdin)))));
  } catch (err) {
    stderr.write(\`cannot evaluate: \${err.message}\\n\`);
    exit(1);
  }
}
`,
    },
    server: {
      file: 'evaluate-server.mjs',
      start: 'node /evaluate-server.mjs',
      text: `// The evaluate hook over HTTP (config.yaml: evaluate.type http): POST the evaluate input, get
// {"targetReplicas": N}. Start it before kubectl cpa run: node evaluate-server.mjs (PORT=… to move it;
// config.yaml's evaluate.http.url must follow).
import { createServer } from 'node:http';
import { env } from 'node:process';
import { evaluate } from './evaluate.mjs';

const PORT = Number(env.PORT ?? ${EVALUATE_PORT});

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let status = 200;
    let answer;
    try {
      answer = JSON.stringify(evaluate(JSON.parse(Buffer.concat(chunks).toString())));
    } catch (err) {
      status = 400;
      answer = \`cannot evaluate: \${err.message}\`;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(answer);
  });
}).listen(PORT, '127.0.0.1');
`,
    },
  };
}

function bash(perPod: boolean): LanguageFiles {
  const key = HOOK_LOAD_ANNOTATION.replace(/[./]/g, (c) => `\\${c}`);
  return {
    base: 'debian:bookworm-slim',
    entrypoint: 'bash',
    metric: {
      file: 'metric.sh',
      text: `#!/usr/bin/env bash
# Metric hook: prints one number for ${perPod ? PER_POD_NOTE : PER_RESOURCE_NOTE}.
# Input on stdin: {"resource": <the Kubernetes object>, "runType": ...} as compact JSON.
# This sample reads the ${HOOK_LOAD_ANNOTATION} annotation with sed (no jq needed); replace it with your real
# source (curl a Prometheus query, count a queue). Whatever it prints is the metric's value.
set -euo pipefail
input=$(cat)
value=$(printf '%s' "$input" | sed -n 's/.*"${key}":"\\([^"]*\\)".*/\\1/p')
if [ -z "$value" ]; then
  echo "no ${HOOK_LOAD_ANNOTATION} annotation on the resource" >&2
  exit 1
fi
printf '%s' "$value"
`,
    },
    evaluate: {
      file: 'evaluate.sh',
      text: `#!/usr/bin/env bash
# Evaluate hook: turns the metrics into a replica count.
# Input on stdin: {"metrics":[{"resource":NAME,"value":TEXT},...],"resource":<the target>,"runType":...}.
# "metrics" has one entry per ${perPod ? 'pod' : 'resource (here: just the target)'}. Output: {"targetReplicas": N}.
set -euo pipefail
LOAD_PER_REPLICA=${LOAD_PER_REPLICA}
input=$(cat)
# Only the metrics array: the target object after it may hold other "value" keys (container env).
metrics=\${input#\\{\\"metrics\\":}
metrics=\${metrics%%\\],\\"resource\\"*}
values=$(printf '%s' "$metrics" | grep -o '"value":"[^"]*"' | cut -d'"' -f4 || true)
if [ -z "$values" ]; then
  echo "cannot evaluate: no metrics to evaluate" >&2
  exit 1
fi
printf '%s\\n' "$values" | awk -v per="$LOAD_PER_REPLICA" '
  { total += $1 }
  END { n = int(total / per); if (n * per < total) n++; printf "{\\"targetReplicas\\": %d}", n }'
`,
    },
  };
}

/** The hook files of `lang`. */
export function languageFiles(lang: 'python' | 'node' | 'bash', perPod: boolean): LanguageFiles {
  return lang === 'python' ? python(perPod) : lang === 'node' ? node(perPod) : bash(perPod);
}
