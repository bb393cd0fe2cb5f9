// The server-side printing kubectl relies on: when a GET asks for `as=Table`, the sandbox answers with the
// columns and cells kube-apiserver's printers produce for the kind (kubectl has no printers of its own for
// them any more), and `Name` + `Age` for anything else, like the default table convertor.
import { humanDuration } from '../../kube/age.ts';
import { labelSelectorString, mapSelectorString } from './selector.ts';
import { isMap, metaOf, type Obj } from './json.ts';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  description: string;
}

type Cell = string | number;

/** True when the Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const p = part.split(';').map((x) => x.trim());
    return p.includes('as=Table') && p.includes('g=meta.k8s.io');
  });
}

function age(obj: Obj, nowMs: number): string {
  const created = metaOf(obj).creationTimestamp;
  return created === undefined ? '<unknown>' : humanDuration(nowMs - Date.parse(created));
}

function field(obj: unknown, ...path: string[]): unknown {
  let node = obj;
  for (const p of path) node = isMap(node) ? node[p] : undefined;
  return node;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown, none = '<none>'): string => (typeof v === 'string' && v !== '' ? v : none);

function templateContainers(obj: Obj): Obj[] {
  const list = field(obj, 'spec', 'template', 'spec', 'containers');
  return Array.isArray(list) ? list.filter(isMap) : [];
}

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name of the object.' };
const AGE: Column = { name: 'Age', type: 'string', description: 'Time since the object was created.' };
const col = (name: string, type: Column['type'], priority: number, description: string): Column => ({
  name,
  type,
  priority,
  description,
});
const CONTAINERS = col('Containers', 'string', 1, 'Names of the containers in the pod template.');
const IMAGES = col('Images', 'string', 1, 'Images of the containers in the pod template.');
const SELECTOR = col('Selector', 'string', 1, 'Label selector of the pods.');

function podCells(pod: Obj, nowMs: number): Cell[] {
  const statuses = field(pod, 'status', 'containerStatuses');
  const list = Array.isArray(statuses) ? statuses.filter(isMap) : [];
  const containers = field(pod, 'spec', 'containers');
  const total = Array.isArray(containers) ? containers.length : 0;
  const ready = list.filter((c) => c.ready === true).length;
  const restarts = list.reduce((n, c) => n + num(c.restartCount), 0);
  const waiting = list.map((c) => field(c, 'state', 'waiting', 'reason')).find((r) => typeof r === 'string');
  const phase = metaOf(pod).deletionTimestamp
    ? 'Terminating'
    : str(waiting, str(field(pod, 'status', 'reason'), str(field(pod, 'status', 'phase'), 'Unknown')));
  const node = str(field(pod, 'spec', 'nodeName'));
  return [
    metaOf(pod).name ?? '',
    `${ready}/${total}`,
    phase,
    String(restarts),
    age(pod, nowMs),
    str(field(pod, 'status', 'podIP')),
    node,
    '<none>',
    '<none>',
  ];
}

function replicaCells(obj: Obj, nowMs: number, selector: string): Cell[] {
  const cs = templateContainers(obj);
  return [
    metaOf(obj).name ?? '',
    num(field(obj, 'spec', 'replicas')),
    num(field(obj, 'status', 'replicas')),
    num(field(obj, 'status', 'readyReplicas')),
    age(obj, nowMs),
    cs.map((c) => c.name).join(','),
    cs.map((c) => c.image).join(','),
    selector,
  ];
}

const REPLICA_COLUMNS = [
  NAME,
  col('Desired', 'integer', 0, 'Desired replicas.'),
  col('Current', 'integer', 0, 'Current replicas.'),
  col('Ready', 'integer', 0, 'Ready replicas.'),
  AGE,
  CONTAINERS,
  IMAGES,
  SELECTOR,
];

function eventAge(obj: Obj, key: string, nowMs: number): string {
  const t = obj[key];
  return typeof t === 'string' ? humanDuration(nowMs - Date.parse(t)) : '<unknown>';
}

interface Printer {
  columns: Column[];
  cells(obj: Obj, nowMs: number): Cell[];
}

const PRINTERS: Readonly<Record<string, Printer>> = {
  Pod: {
    columns: [
      NAME,
      col('Ready', 'string', 0, 'Ready containers.'),
      col('Status', 'string', 0, 'Pod status.'),
      col('Restarts', 'string', 0, 'Container restarts.'),
      AGE,
      col('IP', 'string', 1, 'Pod IP.'),
      col('Node', 'string', 1, 'Node.'),
      col('Nominated Node', 'string', 1, 'Nominated node.'),
      col('Readiness Gates', 'string', 1, 'Readiness gates.'),
    ],
    cells: podCells,
  },
  Deployment: {
    columns: [
      NAME,
      col('Ready', 'string', 0, 'Ready pods / desired.'),
      col('Up-to-date', 'string', 0, 'Pods with the current template.'),
      col('Available', 'string', 0, 'Available pods.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (d, nowMs) => {
      const cs = templateContainers(d);
      const ready = `${num(field(d, 'status', 'readyReplicas'))}/${num(field(d, 'spec', 'replicas'))}`;
      const rest = [
        age(d, nowMs),
        cs.map((c) => c.name).join(','),
        cs.map((c) => c.image).join(','),
        labelSelectorString(field(d, 'spec', 'selector')),
      ];
      return [
        metaOf(d).name ?? '',
        ready,
        num(field(d, 'status', 'updatedReplicas')),
        num(field(d, 'status', 'availableReplicas')),
        ...rest,
      ];
    },
  },
  ReplicaSet: {
    columns: REPLICA_COLUMNS,
    cells: (o, n) => replicaCells(o, n, labelSelectorString(field(o, 'spec', 'selector'))),
  },
  ReplicationController: {
    columns: REPLICA_COLUMNS,
    cells: (o, n) => replicaCells(o, n, mapSelectorString(field(o, 'spec', 'selector'))),
  },
  StatefulSet: {
    columns: [NAME, col('Ready', 'string', 0, 'Ready pods / desired.'), AGE, CONTAINERS, IMAGES],
    cells: (s, nowMs) => {
      const cs = templateContainers(s);
      const ready = `${num(field(s, 'status', 'readyReplicas'))}/${num(field(s, 'spec', 'replicas'))}`;
      return [
        metaOf(s).name ?? '',
        ready,
        age(s, nowMs),
        cs.map((c) => c.name).join(','),
        cs.map((c) => c.image).join(','),
      ];
    },
  },
  Namespace: {
    columns: [NAME, col('Status', 'string', 0, 'Namespace phase.'), AGE],
    cells: (ns, nowMs) => [metaOf(ns).name ?? '', str(field(ns, 'status', 'phase'), ''), age(ns, nowMs)],
  },
  Lease: {
    columns: [NAME, col('Holder', 'string', 0, 'Holder identity.'), AGE],
    cells: (l, nowMs) => [metaOf(l).name ?? '', str(field(l, 'spec', 'holderIdentity'), ''), age(l, nowMs)],
  },
  Node: {
    columns: [
      NAME,
      col('Status', 'string', 0, 'Node condition.'),
      col('Roles', 'string', 0, 'Node roles.'),
      AGE,
      col('Version', 'string', 0, 'Kubelet version.'),
    ],
    cells: (n, nowMs) => [
      metaOf(n).name ?? '',
      'Ready',
      '<none>',
      age(n, nowMs),
      str(field(n, 'status', 'nodeInfo', 'kubeletVersion'), ''),
    ],
  },
  Event: {
    columns: [
      col('Last Seen', 'string', 0, 'Time of the last occurrence.'),
      col('Type', 'string', 0, 'Event type.'),
      col('Reason', 'string', 0, 'Reason.'),
      col('Object', 'string', 0, 'Object the event is about.'),
      col('Subobject', 'string', 1, 'Field path.'),
      col('Source', 'string', 1, 'Reporting component.'),
      col('Message', 'string', 0, 'Message.'),
      col('First Seen', 'string', 1, 'Time of the first occurrence.'),
      col('Count', 'string', 1, 'Occurrences.'),
      { ...NAME, priority: 1 },
    ],
    cells: (e, nowMs) => [
      eventAge(e, 'lastTimestamp', nowMs),
      str(e.type, ''),
      str(e.reason, ''),
      `${String(field(e, 'involvedObject', 'kind') ?? '').toLowerCase()}/${String(field(e, 'involvedObject', 'name') ?? '')}`,
      str(field(e, 'involvedObject', 'fieldPath'), ''),
      str(field(e, 'source', 'component'), ''),
      str(e.message, ''),
      eventAge(e, 'firstTimestamp', nowMs),
      num(e.count) || 1,
      metaOf(e).name ?? '',
    ],
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [NAME, { name: 'Age', type: 'date', description: 'Creation time.' }],
  cells: (o) => [metaOf(o).name ?? '', metaOf(o).creationTimestamp ?? ''],
};

function partialMetadata(obj: Obj): Obj {
  const { managedFields: _m, ...meta } = metaOf(obj);
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta };
}

/** A meta.k8s.io/v1 Table of `items`, rows carrying each object's metadata (kubectl's `includeObject=Metadata`). */
export function tableOf(def: { kind: string }, items: Obj[], nowMs: number, resourceVersion: string): Obj {
  const printer = PRINTERS[def.kind] ?? DEFAULT_PRINTER;
  const columnDefinitions = printer.columns.map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format ?? '',
    description: c.description,
    priority: c.priority ?? 0,
  }));
  const rows = items.map((obj) => ({ cells: printer.cells(obj, nowMs), object: partialMetadata(obj) }));
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions,
    rows,
  };
}
