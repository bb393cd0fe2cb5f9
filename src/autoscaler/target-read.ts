// The target object kept from one cycle to the next. Every write to an object moves its resourceVersion,
// and the scale subresource carries its object's resourceVersion: when the scale read shows the version
// of the object read before, that object is still current, and the cycle makes one read instead of two.
import type { KubeObject, Scale } from '../ports.ts';

/** The object last read, by the runner state it belongs to (a runner's state lives as long as the runner). */
const kept = new WeakMap<object, { object: KubeObject; resourceVersion: string }>();

function versionOf(object: KubeObject): string | undefined {
  const v = (object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The object kept for `owner` if `scale` shows it unchanged; otherwise undefined (read it again). */
export function keptObject(owner: object, scale: Scale): KubeObject | undefined {
  const k = kept.get(owner);
  return k !== undefined && k.resourceVersion === scale.resourceVersion ? k.object : undefined;
}

/** Whether an object is kept for `owner` (then the cycle may read the scale first). */
export function hasKept(owner: object): boolean {
  return kept.has(owner);
}

/** Keeps `object` for the next cycle of `owner`; an object without a resourceVersion is never reused. */
export function keepObject(owner: object, object: KubeObject): void {
  const resourceVersion = versionOf(object);
  if (resourceVersion === undefined) kept.delete(owner);
  else kept.set(owner, { object, resourceVersion });
}

/** Forgets the kept object (a read failed: the next cycle reads both, in the usual order). */
export function forgetObject(owner: object): void {
  kept.delete(owner);
}
