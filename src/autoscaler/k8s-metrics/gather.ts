// Gathers each configured MetricSpec from the metrics APIs (k8shorizmetrics v3's Gatherer, as CPA v2.12.2
// calls it): one spec after another, failures collected with CPA's error texts, the ones that worked kept.
import { describeError } from '../../errors.ts';
import type { K8sMetric } from './model.ts';
import { Gathering, type GatherInput } from './sources.ts';
import { normalizeSpec, selectorQuery, type MetricSpec } from './spec.ts';

export type { GatherInput } from './sources.ts';

/** The specs that worked, in spec order, and the failures (CPA's texts) in spec order. */
export interface GatherResult {
  metrics: K8sMetric[];
  errors: string[];
}

/** Gathers one spec; throws an Error whose message is CPA's text for this spec's failure. */
async function gatherOne(g: Gathering, spec: MetricSpec, currentReplicas: number): Promise<K8sMetric> {
  const base = { currentReplicas, spec };
  const wrap = async <T>(prefix: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw new Error(`${prefix}: ${describeError(err)}`, { cause: err });
    }
  };
  switch (spec.type) {
    case 'Object': {
      const source = spec.object!;
      const type = source.target.type;
      if (type !== 'Value' && type !== 'AverageValue') {
        throw new Error('invalid object metric source: must be either value or average value');
      }
      return {
        ...base,
        object: await wrap('failed to get object metric', () => g.object(source, type === 'Value')),
      };
    }
    case 'Pods': {
      const source = spec.pods!;
      if (source.target.type !== 'AverageValue')
        throw new Error('invalid pods metric source: must be average value');
      const metricSelector = selectorQuery(source.metric.selector);
      return {
        ...base,
        pods: await wrap('failed to get pods metric', () => g.podsMetric(source.metric.name, metricSelector)),
      };
    }
    case 'Resource': {
      const source = spec.resource!;
      const type = source.target.type;
      if (type !== 'AverageValue' && type !== 'Utilization') {
        throw new Error(
          'invalid resource metric source: must be either average value or average utilization',
        );
      }
      const gathered = await wrap('failed to get resource metric', () =>
        g.resource(source.name, type === 'Utilization'),
      );
      return { ...base, resource: gathered };
    }
    case 'External': {
      const source = spec.external!;
      const type = source.target.type;
      if (type !== 'Value' && type !== 'AverageValue') {
        throw new Error('invalid external metric source: must be either value or average value');
      }
      return {
        ...base,
        external: await wrap('failed to get external metric', () => g.external(source, type === 'Value')),
      };
    }
    default:
      throw new Error(`unknown metric source type ${JSON.stringify(spec.type)}`);
  }
}

/** Gathers every spec in order; a spec that fails is reported and the others still run. */
export async function gatherK8sMetrics(
  rawSpecs: readonly unknown[],
  input: GatherInput,
): Promise<GatherResult> {
  const result: GatherResult = { metrics: [], errors: [] };
  const api = input.kube.metrics;
  const g = api === undefined ? undefined : new Gathering(input, api);
  for (const raw of rawSpecs) {
    const spec = normalizeSpec(raw);
    if (g === undefined) {
      result.errors.push('the metrics APIs cannot be reached through this Kubernetes client');
      continue;
    }
    try {
      result.metrics.push(await gatherOne(g, spec, input.currentReplicas));
    } catch (err) {
      result.errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  return result;
}
