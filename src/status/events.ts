// core/v1 Event bodies for the target (what `kubectl describe` and `kubectl get events` read), and the
// target's recent Events as `status NAME` shows them.
import type { KubeObject } from '../ports.ts';
import type { PlannedEvent } from './correlate.ts';
import { EVENT_COMPONENT, type EventSpec } from './reasons.ts';

/** The object an Event is about. `uid` ties it to this incarnation of the object in `kubectl describe`. */
export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
}

/** The body of a new Event (POST /api/v1/namespaces/{ns}/events). */
export function newEventBody(
  planned: PlannedEvent,
  spec: EventSpec,
  involved: InvolvedObject,
  host: string,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: planned.name, namespace: involved.namespace },
    involvedObject: { ...involved },
    reason: spec.reason,
    message: planned.message,
    type: spec.type,
    source: { component: EVENT_COMPONENT, host },
    reportingComponent: EVENT_COMPONENT,
    reportingInstance: host,
    firstTimestamp: planned.firstTimestamp,
    lastTimestamp: planned.lastTimestamp,
    count: planned.count,
  };
}

/** The merge patch that records a repeat of an existing Event. */
export function repeatEventPatch(planned: PlannedEvent): Record<string, unknown> {
  return { count: planned.count, lastTimestamp: planned.lastTimestamp, message: planned.message };
}

/** One Event as the detail view shows it. */
export interface EventRow {
  type: string;
  reason: string;
  /** Latest occurrence, RFC 3339, or null when the Event carries no time. */
  lastTime: string | null;
  firstTime: string | null;
  count: number;
  from: string;
  message: string;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads Events (core/v1 or the core view of events.k8s.io ones) into rows, newest last, at most `max`. */
export function eventRows(items: readonly KubeObject[], max: number): EventRow[] {
  const rows = items.map((item): EventRow => {
    const e = item as Record<string, unknown> & {
      source?: { component?: unknown };
      series?: { count?: unknown; lastObservedTime?: unknown };
      metadata?: { creationTimestamp?: unknown };
    };
    const lastTime =
      str(e.series?.lastObservedTime) ??
      str(e.lastTimestamp) ??
      str(e.eventTime) ??
      str(e.metadata?.creationTimestamp);
    const count =
      typeof e.series?.count === 'number' ? e.series.count : typeof e.count === 'number' ? e.count : 1;
    return {
      type: str(e.type) ?? 'Normal',
      reason: str(e.reason) ?? '',
      lastTime,
      firstTime: str(e.firstTimestamp) ?? str(e.eventTime) ?? lastTime,
      count,
      from: str(e.source?.component) ?? str(e.reportingComponent) ?? '',
      message: (str(e.message) ?? '').trim(),
    };
  });
  rows.sort((a, b) => Date.parse(a.lastTime ?? '') - Date.parse(b.lastTime ?? '') || 0);
  return rows.slice(-max);
}
