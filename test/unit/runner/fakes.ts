// Fakes for the runner's unit tests: files from a map, and a connectKube that hands out a FakeKube with the
// extra CpaKubeClient parts (discovery look-up, close) and logs what it was asked.
import type { CpaKubeClient, Deps, Files, KubeOptions } from '../../../src/ports.ts';
import { FakeKube } from '../../support/fakes.ts';

/** Files backed by a map of path → text. */
export function mapFiles(files: Record<string, string>): Files {
  return {
    readText: async (path) => files[path] ?? null,
    exists: async (path) => path in files,
  };
}

/** A FakeKube that is also a CpaKubeClient; `closed` counts close() calls. */
export class FakeCpaClient extends FakeKube {
  closed = 0;
  lookups: string[] = [];
  close(): void {
    this.closed += 1;
  }
  async lookupResource(word: string): Promise<{ apiVersion: string; kind: string }> {
    this.lookups.push(word);
    if (word === 'wdg') return { apiVersion: 'example.dev/v1', kind: 'Widget' };
    throw new Error(`no resource ${word}`);
  }
  request = async (): Promise<never> => {
    throw new Error('not used');
  };
}

/** connectKube over one FakeCpaClient, with the context's namespace `contextNs`. */
export function fakeConnect(client: FakeCpaClient, contextNs = 'ctx-ns') {
  const asked: KubeOptions[] = [];
  const connectKube: Deps['connectKube'] = async (options) => {
    asked.push(options);
    return {
      client: client as unknown as CpaKubeClient,
      context: 'test',
      namespace: options.namespace ?? contextNs,
      server: 'https://fake',
    };
  };
  return { connectKube, asked };
}
