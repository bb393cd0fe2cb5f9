// Reads the protocol-buffer bodies kubectl's typed clients send for `kubectl create namespace` and
// `kubectl create deployment`: the `k8s\0` envelope (runtime.Unknown) around a Namespace or Deployment. Only
// the fields those commands can set are known (field numbers from k8s.io/api's generated.proto); any other
// kind is refused with 415 by the caller. The result is the JSON object the same command would have sent.
import { badRequest } from './status.ts';
import type { Obj } from './json.ts';

type Scalar = 'string' | 'int' | 'bool';
/** A field: its JSON name, its type (scalar, message name, or a string map), repeated or not. */
interface Field {
  name: string;
  type: Scalar | `msg:${string}` | 'map';
  repeated?: boolean;
  /** A Go pointer field: a zero value was set on purpose and is kept (JSON omits other zero values). */
  keepZero?: boolean;
}

const f = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({
  name,
  type,
  ...extra,
});

const MESSAGES: Readonly<Record<string, Readonly<Record<number, Field>>>> = {
  Unknown: { 1: f('typeMeta', 'msg:TypeMeta'), 2: f('raw', 'msg:Raw'), 4: f('contentType', 'string') },
  TypeMeta: { 1: f('apiVersion', 'string'), 2: f('kind', 'string') },
  Namespace: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:NamespaceSpec') },
  NamespaceSpec: { 1: f('finalizers', 'string', { repeated: true }) },
  ObjectMeta: {
    1: f('name', 'string'),
    2: f('generateName', 'string'),
    3: f('namespace', 'string'),
    11: f('labels', 'map'),
    12: f('annotations', 'map'),
  },
  Deployment: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:DeploymentSpec') },
  DeploymentSpec: {
    1: f('replicas', 'int', { keepZero: true }),
    2: f('selector', 'msg:LabelSelector'),
    3: f('template', 'msg:PodTemplateSpec'),
    4: f('strategy', 'msg:DeploymentStrategy'),
    5: f('minReadySeconds', 'int'),
    6: f('revisionHistoryLimit', 'int', { keepZero: true }),
    7: f('paused', 'bool'),
    9: f('progressDeadlineSeconds', 'int', { keepZero: true }),
  },
  DeploymentStrategy: { 1: f('type', 'string') },
  LabelSelector: { 1: f('matchLabels', 'map') },
  PodTemplateSpec: { 1: f('metadata', 'msg:ObjectMeta'), 2: f('spec', 'msg:PodSpec') },
  PodSpec: {
    2: f('containers', 'msg:Container', { repeated: true }),
    3: f('restartPolicy', 'string'),
    4: f('terminationGracePeriodSeconds', 'int', { keepZero: true }),
    6: f('dnsPolicy', 'string'),
    8: f('serviceAccountName', 'string'),
    19: f('schedulerName', 'string'),
  },
  Container: {
    1: f('name', 'string'),
    2: f('image', 'string'),
    3: f('command', 'string', { repeated: true }),
    4: f('args', 'string', { repeated: true }),
    6: f('ports', 'msg:ContainerPort', { repeated: true }),
    7: f('env', 'msg:EnvVar', { repeated: true }),
    8: f('resources', 'msg:Empty'),
    13: f('terminationMessagePath', 'string'),
    14: f('imagePullPolicy', 'string'),
    20: f('terminationMessagePolicy', 'string'),
  },
  ContainerPort: { 1: f('name', 'string'), 3: f('containerPort', 'int'), 4: f('protocol', 'string') },
  EnvVar: { 1: f('name', 'string'), 2: f('value', 'string') },
  MapEntry: { 1: f('key', 'string'), 2: f('value', 'string') },
  Empty: {},
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The kinds whose protobuf bodies can be read. */
export const PROTOBUF_KINDS = new Set(['Namespace', 'Deployment']);

class Reader {
  readonly #buf: Buffer;
  #pos: number;
  readonly #end: number;
  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#pos = start;
    this.#end = end;
  }
  get done(): boolean {
    return this.#pos >= this.#end;
  }
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.#pos >= this.#end) throw badRequest('protobuf body ends inside a number');
      const byte = this.#buf[this.#pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }
  bytes(): [number, number] {
    const length = Number(this.varint());
    const start = this.#pos;
    this.#pos += length;
    if (this.#pos > this.#end) throw badRequest('protobuf body ends inside a field');
    return [start, this.#pos];
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.#pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.#pos += 4;
    else throw badRequest(`unsupported protobuf wire type ${wireType}`);
  }
}

/** A signed 64-bit varint as a JS number (int32 negatives arrive as 10-byte two's complement). */
function signed(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function decode(buf: Buffer, start: number, end: number, message: string): Obj {
  const fields = MESSAGES[message] ?? {};
  const out: Obj = {};
  const r = new Reader(buf, start, end);
  while (!r.done) {
    const tag = Number(r.varint());
    const field = fields[tag >>> 3];
    if (field === undefined) {
      r.skip(tag & 7);
      continue;
    }
    const value = readValue(r, buf, field);
    if (field.type === 'map') {
      const entry = value as { key?: string; value?: string };
      out[field.name] = { ...(out[field.name] as Obj | undefined), [entry.key ?? '']: entry.value ?? '' };
    } else if (field.repeated) {
      out[field.name] = [...((out[field.name] as unknown[] | undefined) ?? []), value];
    } else if (!isZero(value) || field.keepZero) {
      out[field.name] = value;
    }
  }
  return out;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function readValue(r: Reader, buf: Buffer, field: Field): unknown {
  if (field.type === 'int') return signed(r.varint());
  if (field.type === 'bool') return r.varint() !== 0n;
  const [start, end] = r.bytes();
  if (field.type === 'string') return buf.toString('utf8', start, end);
  if (field.type === 'map') return decode(buf, start, end, 'MapEntry');
  const message = field.type.slice('msg:'.length);
  return message === 'Raw' ? buf.subarray(start, end) : decode(buf, start, end, message);
}

/** The JSON object of a protobuf body (`k8s\0` + runtime.Unknown); 400 when it is not one, or another kind. */
export function decodeProtobufObject(body: Buffer): Obj {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest('protobuf body without the k8s envelope');
  const unknown = decode(body, 4, body.length, 'Unknown');
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const kind = typeMeta.kind ?? '';
  if (!PROTOBUF_KINDS.has(kind))
    throw badRequest(`protobuf bodies of kind "${kind}" are not supported; send JSON`);
  const raw = (unknown.raw as Buffer | undefined) ?? Buffer.alloc(0);
  return { apiVersion: typeMeta.apiVersion, kind, ...decode(raw, 0, raw.length, kind) };
}
