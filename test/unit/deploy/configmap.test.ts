import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  autoscalerConfigMap,
  CONFIGMAP_MAX_BYTES,
  fileKeys,
  largestFiles,
} from '../../../src/deploy/configmap.ts';

const inst = { name: 'cpa', namespace: 'ops' };
const file = (path: string, text: string | Buffer) => ({
  path,
  bytes: typeof text === 'string' ? Buffer.from(text) : text,
});

describe('fileKeys', () => {
  const rows: { name: string; given: string[]; want: { key: string; path: string }[] }[] = [
    {
      name: 'a flat name is its own key',
      given: ['config.yaml'],
      want: [{ key: 'config.yaml', path: 'config.yaml' }],
    },
    {
      name: 'a nested path is flattened, the item keeps the path',
      given: ['hooks/metric.py'],
      want: [{ key: 'hooks_metric.py', path: 'hooks/metric.py' }],
    },
    {
      name: 'two paths flattening alike get distinct keys, in path order',
      given: ['a_b', 'a/b'],
      want: [
        { key: 'a_b', path: 'a/b' },
        { key: 'a_b-2', path: 'a_b' },
      ],
    },
    {
      name: 'characters a key cannot hold become _',
      given: ['my script!.sh'],
      want: [{ key: 'my_script_.sh', path: 'my script!.sh' }],
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(fileKeys(row.given), row.want));
});

describe('autoscalerConfigMap', () => {
  it('holds text in data and anything else in binaryData, labelled with the installation and autoscaler', () => {
    const { object, items } = autoscalerConfigMap(inst, 'web', [
      file('config.yaml', 'interval: 15000\n'),
      file('bin/tool', Buffer.from([0xff, 0x00, 0xfe])),
    ]);
    assert.equal(object.metadata?.name, 'cpa-web');
    assert.equal(object.metadata?.namespace, 'ops');
    assert.equal(object.metadata?.labels?.['app.kubernetes.io/instance'], 'cpa');
    assert.equal(object.metadata?.labels?.['kubectl-cpa.io/autoscaler'], 'web');
    assert.deepEqual(object.data, { 'config.yaml': 'interval: 15000\n' });
    assert.deepEqual(object.binaryData, { bin_tool: '/wD+' });
    assert.deepEqual(items, [
      { key: 'bin_tool', path: 'bin/tool' },
      { key: 'config.yaml', path: 'config.yaml' },
    ]);
  });

  it('without binary files there is no binaryData', () => {
    const { object } = autoscalerConfigMap(inst, 'web', [file('config.yaml', 'x: 1\n')]);
    assert.equal('binaryData' in object, false);
  });

  it('over the ConfigMap limit: an error naming the total, the limit and the largest files, largest first', () => {
    const big = Buffer.alloc(CONFIGMAP_MAX_BYTES - 100, 'a');
    assert.throws(
      () =>
        autoscalerConfigMap(inst, 'web', [
          file('config.yaml', 'x: 1\n'),
          file('data/model.bin', big),
          file('data/table.csv', Buffer.alloc(500, 'b')),
        ]),
      (err: Error) => {
        assert.match(err.message, /autoscaler "web"/);
        assert.match(err.message, new RegExp(`limit of ${CONFIGMAP_MAX_BYTES} bytes`));
        assert.match(
          err.message,
          /largest: data\/model\.bin \(1048476 bytes\), data\/table\.csv \(500 bytes\), config\.yaml/,
        );
        return true;
      },
    );
  });

  it('exactly at the limit (keys counted as the API server counts them) is accepted', () => {
    const key = 'config.yaml';
    const bytes = Buffer.alloc(CONFIGMAP_MAX_BYTES - key.length, 'a');
    assert.doesNotThrow(() => autoscalerConfigMap(inst, 'web', [file(key, bytes)]));
    const over = Buffer.alloc(CONFIGMAP_MAX_BYTES - key.length + 1, 'a');
    assert.throws(() => autoscalerConfigMap(inst, 'web', [file(key, over)]), /over the ConfigMap limit/);
  });
});

describe('largestFiles', () => {
  it('lists at most three, ties by path', () => {
    const files = ['d', 'c', 'b', 'a'].map((path) => ({ path, size: 10 }));
    assert.equal(largestFiles(files), 'a (10 bytes), b (10 bytes), c (10 bytes)');
  });
});
