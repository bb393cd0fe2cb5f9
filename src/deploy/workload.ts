// The pods of an installation: a ServiceAccount, a Deployment of leader-elected replicas that run every
// autoscaler from the mounted ConfigMaps (`kubectl-cpa run --all /etc/kubectl-cpa --leader-elect`), and a
// PodDisruptionBudget. The container is locked down (non-root, read-only root, no capabilities); hooks get
// a writable /tmp.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../ports.ts';
import type { FileItem } from './configmap.ts';
import { labelled, podLabels, type Installation } from './labels.ts';

/** Where the autoscalers' directories are mounted: one subdirectory per autoscaler. */
export const MOUNT_DIR = '/etc/kubectl-cpa';
/** The port of /healthz, /readyz and /metrics in the pod. */
export const METRICS_PORT = 9090;
/** The image's unprivileged user (the `nonroot` uid of distroless images). */
export const NONROOT_UID = 65532;

/** One autoscaler as the pod mounts it. */
export interface MountedAutoscaler {
  name: string;
  configMap: string;
  items: FileItem[];
  /** The ConfigMap's data, hashed into the pod template so that a changed hook rolls the pods. */
  data: unknown;
}

/** How the Deployment runs. */
export interface WorkloadSpec {
  image: string;
  replicas: number;
  version: string;
  autoscalers: readonly MountedAutoscaler[];
}

/** The container's command and arguments: what a pod runs (and what the kubelet-less e2e starts). */
export function containerCommand(inst: Installation): { command: string[]; args: string[] } {
  return {
    command: ['kubectl-cpa'],
    args: [
      'run',
      '--all',
      MOUNT_DIR,
      '--leader-elect',
      `--leader-elect-resource-name=${inst.name}`,
      `--leader-elect-resource-namespace=${inst.namespace}`,
      `--metrics-addr=0.0.0.0:${METRICS_PORT}`,
      '--no-api',
      '--log-format=json',
    ],
  };
}

/** The ServiceAccount the pods run as; its Roles come from rbac.ts. */
export function serviceAccount(inst: Installation): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: labelled(inst, { name: inst.name, namespace: inst.namespace }),
  };
}

/** sha256 of the autoscalers' files, 16 hex digits. */
export function configHash(autoscalers: readonly MountedAutoscaler[]): string {
  const hash = createHash('sha256');
  for (const a of [...autoscalers].sort((x, y) => x.name.localeCompare(y.name)))
    hash.update(JSON.stringify([a.name, a.items, a.data]));
  return hash.digest('hex').slice(0, 16);
}

function probe(path: string, periodSeconds: number, failureThreshold: number): Record<string, unknown> {
  return { httpGet: { path, port: 'metrics' }, periodSeconds, failureThreshold, timeoutSeconds: 2 };
}

/** The Deployment of `inst`. */
export function deployment(inst: Installation, spec: WorkloadSpec): KubeObject {
  const labels = podLabels(inst);
  const sources = [...spec.autoscalers]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => ({
      configMap: {
        name: a.configMap,
        items: a.items.map((item) => ({ key: item.key, path: `${a.name}/${item.path}` })),
      },
    }));
  const container = {
    name: 'kubectl-cpa',
    image: spec.image,
    ...containerCommand(inst),
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ],
    ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
    livenessProbe: probe('/healthz', 10, 3),
    readinessProbe: probe('/readyz', 5, 2),
    resources: { requests: { cpu: '50m', memory: '64Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'autoscalers', mountPath: MOUNT_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: labelled(
      inst,
      { name: inst.name, namespace: inst.namespace },
      {
        'app.kubernetes.io/version': spec.version,
      },
    ),
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      // A standby is ready too: new pods become ready while the old leader still leads, then take over.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels,
          annotations: { 'kubectl-cpa.io/config-hash': configHash(spec.autoscalers) },
        },
        spec: {
          serviceAccountName: inst.name,
          automountServiceAccountToken: true,
          // The Lease outlives a pod that is gone without releasing it; SIGTERM releases it at once.
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NONROOT_UID,
            runAsGroup: NONROOT_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container],
          volumes: [
            // 0555: hooks stay executable and readable by the non-root user.
            { name: 'autoscalers', projected: { defaultMode: 0o555, sources } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
}

/** At most one pod of the installation disrupted at a time (a drain never takes both leader and standby). */
export function podDisruptionBudget(inst: Installation): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: labelled(inst, { name: inst.name, namespace: inst.namespace }),
    spec: { maxUnavailable: 1, selector: { matchLabels: podLabels(inst) } },
  };
}
