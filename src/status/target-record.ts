// What a recorder knows of its target's metadata: the record and claim in the status annotation (decoded
// once per distinct text), the uid its Events name, and the resourceVersion its guarded writes carry.
import { groupVersionPath } from '../kube/discovery.ts';
import type { KubeClient, KubeObject, KubeRequester, ResolvedTarget } from '../ports.ts';
import { readClaim, type RecordedClaim } from './claim.ts';
import { decodeState } from './decode-state.ts';
import { encodeState, STATUS_ANNOTATION, type RecordedState } from './schema.ts';

/** The status annotation's text on `object`, if any. */
export function annotationOf(object: KubeObject): string | undefined {
  const meta = (object.metadata ?? {}) as { annotations?: Record<string, string> };
  return meta.annotations?.[STATUS_ANNOTATION];
}

function objectPath(t: ResolvedTarget): string {
  return `${groupVersionPath(t)}/namespaces/${encodeURIComponent(t.namespace)}/${t.resource}/${encodeURIComponent(t.name)}`;
}

export class TargetRecord {
  readonly #client: Pick<KubeClient, 'getObject'> & { request: KubeRequester };
  /** With claims every write is guarded by the resourceVersion last seen. */
  readonly #guarded: boolean;
  /** undefined until read from the target once; null when the target carries no usable record. */
  #previous: RecordedState | null | undefined;
  #uid: string | undefined;
  #resourceVersion: string | undefined;
  /**
   * The annotation text last decoded and what it decoded to. A cycle that changes nothing reads the same
   * text as the cycle before; decoding it again (three JSON parses and a validation, ~0.5 ms in a profile)
   * was most of what the claim added to each cycle.
   */
  #read: { text: string | undefined; state: RecordedState | null; claim: RecordedClaim | null } | undefined;

  constructor(client: Pick<KubeClient, 'getObject'> & { request: KubeRequester }, guarded: boolean) {
    this.#client = client;
    this.#guarded = guarded;
  }

  /** The record on the target as last read or written; undefined before the first read. */
  get previous(): RecordedState | null | undefined {
    return this.#previous;
  }

  get uid(): string | undefined {
    return this.#uid;
  }

  /** Keeps the uid (for Events) and the state now on the target. */
  remember(object: KubeObject | null, written: RecordedState | null): void {
    const meta = (object?.metadata ?? {}) as {
      uid?: unknown;
      resourceVersion?: unknown;
      annotations?: Record<string, string>;
    };
    if (typeof meta.uid === 'string') this.#uid = meta.uid;
    if (typeof meta.resourceVersion === 'string') this.#resourceVersion = meta.resourceVersion;
    if (written !== null) {
      this.#previous = written;
      return;
    }
    this.#previous = this.decode(meta.annotations?.[STATUS_ANNOTATION]).state;
  }

  /** Reads the target and remembers what is on it. */
  async read(resolved: ResolvedTarget): Promise<KubeObject> {
    const object = await this.#client.getObject(resolved);
    this.remember(object, null);
    return object;
  }

  /** The record and claim in `text`, decoded only when the text differs from the last one decoded. */
  decode(text: string | undefined): { state: RecordedState | null; claim: RecordedClaim | null } {
    if (this.#read !== undefined && this.#read.text === text) return this.#read;
    const decoded = decodeState(text).state;
    // decodeState reads the record's own fields; the claim beside them is read by its own rules.
    const claim = readClaim(text);
    const state = decoded !== null && claim !== null ? { ...decoded, claim } : decoded;
    this.#read = { text, state, claim };
    return this.#read;
  }

  /** One merge patch of the annotation; with claims, guarded by the resourceVersion last seen. */
  async write(resolved: ResolvedTarget, next: RecordedState): Promise<void> {
    const metadata: Record<string, unknown> = { annotations: { [STATUS_ANNOTATION]: encodeState(next) } };
    if (this.#guarded && this.#resourceVersion !== undefined)
      metadata.resourceVersion = this.#resourceVersion;
    const res = await this.#client.request({
      method: 'PATCH',
      path: objectPath(resolved),
      body: { metadata },
      contentType: 'application/merge-patch+json',
      call: {
        verb: 'patch',
        group: resolved.group,
        resource: resolved.resource,
        namespace: resolved.namespace,
        name: resolved.name,
      },
    });
    this.remember(res.body as KubeObject | null, next);
  }
}
