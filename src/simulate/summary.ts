// What a backtest amounts to, from its timeline alone: scale events, the replica range, replica-hours, time
// under- and over-provisioned against the trace's demand, and flaps. Pure.
import type { TimelineRow } from './simulate.ts';

/**
 * A flap is a scale event that reverses the direction of the one before within this time: replicas bought
 * and sold again (or the reverse) before they could pay off. Five minutes is HPA's default downscale window.
 */
export const FLAP_WINDOW_MS = 5 * 60_000;

/** The figures of one backtest. */
export interface Summary {
  cycles: number;
  failedCycles: number;
  scaleUps: number;
  scaleDowns: number;
  minReplicas: number;
  maxReplicas: number;
  /** Σ replicas × interval, in hours: what the target would have cost. */
  replicaHours: number;
  /** Cycles whose trace sample carried a demand. */
  cyclesWithDemand: number;
  /** Time with fewer Ready pods than the demand (rounded up to whole replicas). */
  underProvisionedMs: number;
  /** Time with more Ready pods than the demand needs. */
  overProvisionedMs: number;
  flaps: number;
}

/** Summarises a timeline whose cycles are `intervalMs` apart. */
export function summarize(rows: readonly TimelineRow[], intervalMs: number): Summary {
  const summary: Summary = {
    cycles: rows.length,
    failedCycles: 0,
    scaleUps: 0,
    scaleDowns: 0,
    minReplicas: rows.length === 0 ? 0 : Infinity,
    maxReplicas: 0,
    replicaHours: 0,
    cyclesWithDemand: 0,
    underProvisionedMs: 0,
    overProvisionedMs: 0,
    flaps: 0,
  };
  let lastEvent: { timeMs: number; up: boolean } | undefined;
  for (const row of rows) {
    if (row.action === 'failed') summary.failedCycles++;
    summary.minReplicas = Math.min(summary.minReplicas, row.replicas);
    summary.maxReplicas = Math.max(summary.maxReplicas, row.replicas);
    summary.replicaHours += (row.replicas * intervalMs) / 3_600_000;
    if (row.replicas !== row.from) {
      const up = row.replicas > row.from;
      if (up) summary.scaleUps++;
      else summary.scaleDowns++;
      if (lastEvent && lastEvent.up !== up && row.timeMs - lastEvent.timeMs <= FLAP_WINDOW_MS)
        summary.flaps++;
      lastEvent = { timeMs: row.timeMs, up };
    }
    if (row.demand !== undefined) {
      summary.cyclesWithDemand++;
      const needed = Math.ceil(row.demand);
      if (row.ready < needed) summary.underProvisionedMs += intervalMs;
      else if (row.ready > needed) summary.overProvisionedMs += intervalMs;
    }
  }
  return summary;
}
