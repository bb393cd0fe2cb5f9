// The autoscaler directory and target the deploy e2e tests share.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shell hooks in a subdirectory: metric 7, evaluate 3 replicas, every second. */
export const CONFIG = `
scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
runMode: per-resource
interval: 1000
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["hooks/metric.sh"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["hooks/evaluate.sh"]}}
`;

/** An autoscaler directory named `web-scaler` (a DNS label, as deploy requires) with hooks in a subdirectory. */
export function webScaler(config = CONFIG, replicas = 3): { dir: string; cleanup: () => void } {
  const parent = mkdtempSync(join(tmpdir(), 'cpa-deploy-'));
  const dir = join(parent, 'web-scaler');
  mkdirSync(join(dir, 'hooks'), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), config);
  writeFileSync(join(dir, 'hooks', 'metric.sh'), 'cat > /dev/null\necho 7\n');
  writeFileSync(
    join(dir, 'hooks', 'evaluate.sh'),
    `cat > /dev/null\necho '{"targetReplicas": ${replicas}}'\n`,
  );
  return { dir, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
}

/** The target Deployment `web` (no kubelet: its pods never run, its scale subresource works). */
export const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}}
`;
