// Defaulting, as kube-apiserver applies it on every write: the values a GET shows that the client never
// sent (imagePullPolicy, strategy, revisionHistoryLimit, ...). The values are those kube-apiserver v1.37
// returns for the same manifests; each function fills in place the copy the handler is about to store.
import { isMap, type Obj } from '../wire/json.ts';

type Json = Record<string, unknown>;

function setDefault(obj: Json, key: string, value: unknown): void {
  if (obj[key] === undefined) obj[key] = value;
}

function mapAt(obj: Json, key: string): Json {
  const value = obj[key];
  if (isMap(value)) return value;
  const fresh: Json = {};
  obj[key] = fresh;
  return fresh;
}

/** `Always` for `:latest` or untagged images, `IfNotPresent` otherwise (as the Pod defaulter decides). */
export function imagePullPolicyFor(image: unknown): string {
  if (typeof image !== 'string' || image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: unknown): void {
  if (!isMap(c)) return;
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isMap(p)) setDefault(p, 'protocol', 'TCP');
  setDefault(c, 'resources', {});
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', imagePullPolicyFor(c.image));
}

/** PodSpec defaults shared by Pods and pod templates. */
export function defaultPodSpec(spec: Json): void {
  for (const list of ['initContainers', 'containers']) {
    const containers = spec[list];
    if (Array.isArray(containers)) containers.forEach(defaultContainer);
  }
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
}

function defaultTemplate(spec: Json): void {
  const template = spec.template;
  if (isMap(template)) defaultPodSpec(mapAt(template, 'spec'));
}

/** The QoS class the Pod's resources give it. */
export function qosClass(spec: Json): string {
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isMap) : [];
  const resources = containers.map((c) => (isMap(c.resources) ? c.resources : {}));
  const any = resources.some(
    (r) => Object.keys(r.requests ?? {}).length > 0 || Object.keys(r.limits ?? {}).length > 0,
  );
  if (!any) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = (isMap(r.limits) ? r.limits : {}) as Record<string, unknown>;
    const requests = (isMap(r.requests) ? r.requests : {}) as Record<string, unknown>;
    return ['cpu', 'memory'].every(
      (k) => limits[k] !== undefined && (requests[k] ?? limits[k]) === limits[k],
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const KIND_DEFAULTS: Readonly<Record<string, (obj: Obj) => void>> = {
  Pod: (obj) => {
    const spec = mapAt(obj, 'spec');
    defaultPodSpec(spec);
    setDefault(spec, 'tolerations', [
      ...['not-ready', 'unreachable'].map((t) => ({
        key: `node.kubernetes.io/${t}`,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      })),
    ]);
    setDefault(spec, 'priority', 0);
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    const status = mapAt(obj, 'status');
    setDefault(status, 'phase', 'Pending');
    setDefault(status, 'qosClass', qosClass(spec));
  },
  Deployment: (obj) => {
    const spec = mapAt(obj, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
    const strategy = mapAt(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = mapAt(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', '25%');
      setDefault(rolling, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
  },
  ReplicaSet: (obj) => {
    const spec = mapAt(obj, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  StatefulSet: (obj) => {
    const spec = mapAt(obj, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = mapAt(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = mapAt(strategy, 'rollingUpdate');
      setDefault(rolling, 'partition', 0);
      setDefault(rolling, 'maxUnavailable', 1);
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
  },
  ReplicationController: (obj) => {
    const spec = mapAt(obj, 'spec');
    setDefault(spec, 'replicas', 1);
    const templateLabels =
      isMap(spec.template) && isMap(spec.template.metadata) ? spec.template.metadata.labels : undefined;
    if (isMap(templateLabels)) {
      if (!isMap(spec.selector) || Object.keys(spec.selector).length === 0)
        spec.selector = { ...templateLabels };
      const meta = mapAt(obj, 'metadata');
      if (!isMap(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...templateLabels };
    }
    defaultTemplate(spec);
  },
  Namespace: (obj) => {
    const meta = mapAt(obj, 'metadata');
    mapAt(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
    setDefault(mapAt(obj, 'spec'), 'finalizers', ['kubernetes']);
    setDefault(mapAt(obj, 'status'), 'phase', 'Active');
  },
  // Go marshals a struct-valued spec even when empty.
  Lease: (obj) => setDefault(obj, 'spec', {}),
  Event: (obj) => {
    setDefault(obj, 'source', {});
    for (const key of ['firstTimestamp', 'lastTimestamp', 'eventTime']) setDefault(obj, key, null);
    setDefault(obj, 'reportingComponent', '');
    setDefault(obj, 'reportingInstance', '');
  },
};

/** Fills in the defaults of `obj` (a copy about to be stored) according to its kind. */
export function applyDefaults(kind: string, obj: Obj): void {
  KIND_DEFAULTS[kind]?.(obj);
}
