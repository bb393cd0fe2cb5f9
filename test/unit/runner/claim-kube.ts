// A FakeCpaClient whose target also has metadata the recorder writes: annotations, a resourceVersion that
// every write bumps, merge patches that fail with 409 when they carry a stale resourceVersion (as the API
// server does), and Events kept in a list. Several runners can share one to contend for the target.
import { KubeError } from '../../../src/errors.ts';
import type { KubeObject, KubeRequest, KubeResponse, ResolvedTarget } from '../../../src/ports.ts';
import { STATUS_ANNOTATION } from '../../../src/status/schema.ts';
import { FakeKube } from '../../support/fakes.ts';

export class ClaimKube extends FakeKube {
  closed = 0;
  close(): void {
    this.closed += 1;
  }
  async lookupResource(word: string): Promise<never> {
    throw new Error(`no resource ${word}`);
  }
  annotations: Record<string, string> = {};
  readonly events: { reason: string; message: string }[] = [];
  /** Annotation patches that were applied / refused with 409. */
  writes = 0;
  conflictsSeen = 0;
  /** Annotation patches still to meet another writer first (a controller's status write): 409 each. */
  busyWrites = 0;

  override async getObject(target: ResolvedTarget): Promise<KubeObject> {
    const object = await super.getObject(target);
    const metadata = object.metadata as Record<string, unknown>;
    metadata.annotations = { ...this.annotations };
    metadata.resourceVersion = String(this.resourceVersion);
    metadata.uid = 'uid-1';
    return object;
  }

  request = async (req: KubeRequest): Promise<KubeResponse> => {
    if (req.method === 'POST' && req.path.endsWith('/events')) {
      const body = req.body as { reason: string; message: string };
      this.events.push({ reason: body.reason, message: body.message });
      return { status: 201, body: { metadata: { name: `e${this.events.length}` } } };
    }
    if (req.method === 'PATCH' && req.path.includes('/events/')) return { status: 200, body: {} };
    if (req.method !== 'PATCH') throw new Error(`unexpected ${req.method} ${req.path}`);
    const meta = (
      req.body as { metadata: { resourceVersion?: string; annotations?: Record<string, string> } }
    ).metadata;
    if (this.busyWrites > 0) {
      this.busyWrites--;
      this.resourceVersion++;
    }
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== String(this.resourceVersion)) {
      this.conflictsSeen++;
      throw new KubeError('the object has been modified', {
        verb: 'patch',
        resource: 'deployments',
        status: 409,
      });
    }
    Object.assign(this.annotations, meta.annotations ?? {});
    this.resourceVersion++;
    this.writes++;
    const ref = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', name: 'web' };
    return { status: 200, body: await this.getObject({ ...ref, namespace: 'default', hasScale: true }) };
  };

  /** The holder named by the claim on the target, as `name@host/pid`, or null. */
  holder(): string | null {
    const text = this.annotations[STATUS_ANNOTATION];
    if (text === undefined) return null;
    const claim = (JSON.parse(text) as { claim?: { holder: { name: string; host: string; pid: number } } })
      .claim;
    return claim === undefined ? null : `${claim.holder.name}@${claim.holder.host}/${claim.holder.pid}`;
  }
}
