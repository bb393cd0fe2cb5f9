import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobufObject } from '../../../../src/sandbox/wire/protobuf.ts';
import { ApiError } from '../../../../src/sandbox/wire/status.ts';
import { fixture } from '../support.ts';

// A minimal protobuf writer, enough to build the bodies kubectl's typed clients send.
const varint = (n: number | bigint): Buffer => {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return Buffer.from(out);
};
const len = (field: number, content: Buffer | string): Buffer => {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
};
const num = (field: number, n: number): Buffer => Buffer.concat([varint(field << 3), varint(n)]);
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    len(1, Buffer.concat([len(1, apiVersion), len(2, kind)])),
    len(2, raw),
    len(4, ''),
  ]);
const entry = (k: string, v: string): Buffer => Buffer.concat([len(1, k), len(2, v)]);

const meta = (name: string, labels: Record<string, string> = {}) =>
  Buffer.concat([
    len(1, name),
    len(2, ''),
    len(3, ''),
    ...Object.entries(labels).map(([k, v]) => len(11, entry(k, v))),
  ]);

describe('protobuf bodies of kubectl create', () => {
  it('reads a Namespace, dropping the empty strings Go would omit in JSON', () => {
    const body = envelope('v1', 'Namespace', Buffer.concat([len(1, meta('team')), len(2, Buffer.alloc(0))]));
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
      spec: {},
    });
  });

  it('reads a Deployment with labels, a container, and replicas 0 kept (a pointer field)', () => {
    const container = Buffer.concat([
      len(1, 'nginx'),
      len(2, 'nginx:1.27'),
      len(6, num(3, 80)),
      len(8, Buffer.alloc(0)),
    ]);
    const template = Buffer.concat([len(1, meta('', { app: 'web' })), len(2, len(2, container))]);
    const spec = Buffer.concat([
      num(1, 0),
      len(2, len(1, entry('app', 'web'))),
      len(3, template),
      len(4, Buffer.alloc(0)),
      num(99, 7),
    ]);
    const body = envelope(
      'apps/v1',
      'Deployment',
      Buffer.concat([len(1, meta('web', { app: 'web' })), len(2, spec)]),
    );
    assert.deepEqual(decodeProtobufObject(body), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {} },
            ],
          },
        },
        strategy: {},
      },
    });
  });

  it('refuses a body without the envelope, and kinds it cannot read', () => {
    assert.throws(
      () => decodeProtobufObject(Buffer.from('{}')),
      (e: unknown) => e instanceof ApiError && e.code === 400,
    );
    assert.throws(
      () => decodeProtobufObject(envelope('v1', 'Secret', Buffer.alloc(0))),
      /kind "Secret" are not supported/,
    );
  });

  it('creates from a protobuf POST, and refuses protobuf for other writes with 415', async () => {
    const f = fixture();
    const body = envelope('v1', 'Namespace', len(1, meta('team')));
    const created = await f.core.api.handle({
      method: 'POST',
      path: '/api/v1/namespaces',
      query: new URLSearchParams(),
      headers: { authorization: 'Bearer admin-token', 'content-type': 'application/vnd.kubernetes.protobuf' },
      body: body.toString('utf8'),
      bytes: body,
    });
    assert.equal(created.status, 201);
    const put = await f.core.api.handle({
      method: 'PUT',
      path: '/api/v1/namespaces/team',
      query: new URLSearchParams(),
      headers: { authorization: 'Bearer admin-token', 'content-type': 'application/vnd.kubernetes.protobuf' },
      body: 'x',
      bytes: Buffer.from('x'),
    });
    assert.equal(put.status, 415);
  });
});
