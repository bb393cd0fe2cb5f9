// The evaluate stage (CPA §4.4): user logic turns the metrics into a raw replica count.
import type { KubeObject } from '../ports.ts';
import type { CycleContext } from './context.ts';
import type { ResourceMetric, RunType } from './types.ts';
import { evaluateInfo, seedEvaluateInput } from './payloads.ts';
import { parseEvaluation } from './evaluation.ts';
import { callHook, callStep, shownOutput, StepError } from './steps.ts';

const CONTEXT = 'failed to get evaluation';

/** Runs preEvaluate → evaluate → parse → postEvaluate and returns the raw (unclamped) target. */
export async function evaluateMetrics(
  ctx: CycleContext,
  target: KubeObject,
  metrics: ResourceMetric[] | null,
  runType: RunType,
): Promise<number> {
  const seed = ctx.config.format === 'seed';
  const payload = seed
    ? seedEvaluateInput(target.metadata?.name ?? '', runType, metrics)
    : evaluateInfo(metrics, target, runType);
  const hookIo = { methods: ctx.methods, logger: ctx.logger };
  const hooks = ctx.config.hooks;
  await callHook('preEvaluate', hooks.preEvaluate, payload, {
    ...hookIo,
    context: `${CONTEXT}: failed to run pre-evaluate hook`,
  });
  const raw = await callStep('evaluate', ctx.config.evaluate, payload, {
    ...hookIo,
    stage: 'evaluate',
    context: CONTEXT,
  });
  ctx.logger.log({ kind: 'info', level: 3, message: `evaluation determined: ${shownOutput(raw)}` });
  const parsed = parseEvaluation(raw);
  if (!parsed.ok) throw new StepError('evaluate', `${CONTEXT}: ${parsed.message}`);
  const post = evaluateInfo(metrics, target, runType, parsed.targetReplicas);
  await callHook('postEvaluate', hooks.postEvaluate, post, {
    ...hookIo,
    context: `${CONTEXT}: failed to run post-evaluate hook`,
  });
  return parsed.targetReplicas;
}
