// `?watch=true`: a chunked stream of `{"type":…,"object":…}` lines. Without a resourceVersion (or "0") it
// starts with ADDED for what exists; with one it replays the changes since then from the store's history, or
// sends a 410 ERROR event when that is too old, as kube-apiserver does. Objects entering or leaving a
// selector arrive as ADDED / DELETED.
import type { ApiContext } from './context.ts';
import { objectFilter } from './read.ts';
import { resourceKey } from '../store/registry.ts';
import type { ResourceRoute } from './router.ts';
import { badRequest, expired } from '../wire/status.ts';
import type { StoreEvent } from '../store/store.ts';
import { tableOf, wantsTable } from '../wire/table.ts';
import { metaOf, type Obj } from '../wire/json.ts';
import type { ChunkWriter, StreamResponse } from '../wire/http.ts';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** What the watch starts with, decided before the stream opens. */
type Start = { replay: 'list' } | { replay: 'since'; rv: number } | { replay: 'expired'; requested: string };

function startOf(ctx: ApiContext, query: URLSearchParams): Start {
  const rv = query.get('resourceVersion') ?? '';
  if (rv === '' || rv === '0' || query.get('sendInitialEvents') === 'true') return { replay: 'list' };
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  return ctx.store.since(Number(rv)) === null
    ? { replay: 'expired', requested: rv }
    : { replay: 'since', rv: Number(rv) };
}

/**
 * What a watcher whose filter is `keep` sees of a change, or undefined. An object leaving the filter is
 * DELETED carrying its previous content at the change's resourceVersion, as kube-apiserver's watch cache does.
 */
export function visibleEvent(
  event: StoreEvent,
  keep: (o: Obj) => boolean,
): { type: StoreEvent['type']; object: Obj } | undefined {
  const now = keep(event.object);
  if (event.type !== 'MODIFIED') return now ? { type: event.type, object: event.object } : undefined;
  const before = event.previous !== undefined && keep(event.previous);
  if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: event.object };
  if (!before || event.previous === undefined) return undefined;
  const previous = event.previous;
  return {
    type: 'DELETED',
    object: { ...previous, metadata: { ...metaOf(previous), resourceVersion: String(event.rv) } },
  };
}

/** Everything a running watch needs, decided before the stream opens. */
interface WatchPlan {
  key: string;
  namespace: string | undefined;
  keep: (o: Obj) => boolean;
  start: Start;
  bookmark: Obj | undefined;
  timeoutMs: number;
  render: (o: Obj) => Obj;
}

/** Sends the initial or replayed events, then every matching change until timeout or the client leaves. */
function runWatch(ctx: ApiContext, plan: WatchPlan, write: ChunkWriter, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const send = (type: EventType, object: Obj): void => write(`${JSON.stringify({ type, object })}\n`);
    const { start } = plan;
    if (start.replay === 'expired') {
      send('ERROR', expired(start.requested, ctx.store.oldestResumable).body);
      resolve();
      return;
    }
    const forward = (e: StoreEvent): void => {
      if (e.resource !== plan.key) return;
      const seen = visibleEvent(e, plan.keep);
      if (seen !== undefined) send(seen.type, plan.render(seen.object));
    };
    if (start.replay === 'list') {
      for (const o of ctx.store.list(plan.key, plan.namespace))
        if (plan.keep(o)) send('ADDED', plan.render(o));
      if (plan.bookmark !== undefined) send('BOOKMARK', plan.bookmark);
    } else {
      for (const e of ctx.store.since(start.rv) ?? []) forward(e);
    }
    const unsubscribe = ctx.store.subscribe(forward);
    const cancelTimer = plan.timeoutMs > 0 ? ctx.env.after(plan.timeoutMs, finish) : () => {};
    signal.addEventListener('abort', finish, { once: true });
    function finish(): void {
      unsubscribe();
      cancelTimer();
      signal.removeEventListener('abort', finish);
      resolve();
    }
  });
}

/** The streamed answer of a watch request. */
export function watchResponse(
  ctx: ApiContext,
  route: ResourceRoute,
  query: URLSearchParams,
  accept: string | undefined,
): StreamResponse {
  const { def, namespace } = route;
  const table = wantsTable(accept);
  const bookmarks = query.get('allowWatchBookmarks') === 'true' && query.get('sendInitialEvents') === 'true';
  const plan: WatchPlan = {
    key: resourceKey(def),
    namespace,
    keep: objectFilter(def, namespace, query),
    start: startOf(ctx, query),
    bookmark: bookmarks ? bookmark(def.group, def.version, def.kind, ctx.store.resourceVersion) : undefined,
    timeoutMs: Number(query.get('timeoutSeconds') ?? '0') * 1000,
    render: (o) => (table ? tableOf(def, [o], ctx.env.nowMs(), metaOf(o).resourceVersion ?? '') : o),
  };
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    run: (write, signal) => runWatch(ctx, plan, write, signal),
  };
}

/** The bookmark that ends the initial events of a `sendInitialEvents=true` watch (WatchList). */
function bookmark(group: string, version: string, kind: string, rv: number): Obj {
  return {
    kind,
    apiVersion: group === '' ? version : `${group}/${version}`,
    metadata: { resourceVersion: String(rv), annotations: { 'k8s.io/initial-events-end': 'true' } },
  };
}
