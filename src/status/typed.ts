// `status TYPE/NAME`: the annotated object of any kind kubectl can name — built-in workloads, CRDs found
// through discovery (`widget/w1`, `rollouts.argoproj.io/r`), or an explicit GROUP/VERSION/KIND/NAME — read
// directly, so targets outside the listed workload kinds are found as well.
import { CpaError } from '../errors.ts';
import { parseTargetFlag, TARGET_FORMS, type ParsedTarget } from '../kube/target-flag.ts';
import type { CpaKubeClient } from '../ports.ts';
import { fromAnnotated, type AutoscalerStatus } from './model.ts';
import { STATUS_ANNOTATION } from './schema.ts';
import { UsageError } from '../errors.ts';

/** The API a typed lookup uses. */
export type TypedClient = Pick<CpaKubeClient, 'lookupResource' | 'resolveTarget' | 'getObject'>;

/** NAME with a `/` is TYPE/NAME; parse errors speak of NAME, not of --target. */
export function parseTypedName(name: string): ParsedTarget | undefined {
  if (!name.includes('/')) return undefined;
  try {
    return parseTargetFlag(name);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(`NAME "${name}": ${err.message.replace(/^invalid --target "[^"]*": /, '')}`, {
      hint: `TYPE/NAME takes ${TARGET_FORMS}`,
    });
  }
}

/** The one autoscaler recorded on the object TYPE/NAME; an error when the object carries no record. */
export async function readTyped(
  client: TypedClient,
  parsed: ParsedTarget,
  namespace: string,
  nowMs: number,
): Promise<AutoscalerStatus[]> {
  const ref =
    parsed.form === 'ref'
      ? parsed.ref
      : {
          ...(await client.lookupResource(parsed.resource, {
            ...(parsed.group === undefined ? {} : { group: parsed.group }),
            ...(parsed.version === undefined ? {} : { version: parsed.version }),
          })),
          name: parsed.name,
        };
  const target = await client.resolveTarget(ref, namespace);
  const object = await client.getObject(target);
  const item = fromAnnotated({ ...object, apiVersion: ref.apiVersion, kind: ref.kind }, nowMs);
  if (item === null)
    throw new CpaError(
      `${ref.kind.toLowerCase()}/${ref.name} in namespace "${namespace}" carries no ${STATUS_ANNOTATION} annotation`,
      {
        hint: `\`kubectl cpa run --target ${ref.kind.toLowerCase()}/${ref.name}\` records one`,
      },
    );
  return [item];
}
