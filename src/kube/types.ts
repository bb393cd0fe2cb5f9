// The Kubernetes surface the autoscaler needs. The real implementation talks HTTPS through the
// KubeConfig of @kubernetes/client-node; tests of pure logic use tiny hand-written fakes.

/** A Kubernetes object as JSON, exactly as the API server returned it. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  } & Record<string, unknown>;
};

/** A scale target resolved through discovery. */
export interface ResolvedTarget {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  kind: string;
  name: string;
  namespace: string;
  /** True when discovery lists `<resource>/scale`. */
  hasScale: boolean;
}

/** The scale subresource, reduced to what the decision needs. */
export interface Scale {
  replicas: number;
  /** `status.selector` (string form); '' when the workload has none. */
  selector: string;
  /** `status.replicas` as reported by the controller. */
  statusReplicas: number;
  resourceVersion: string;
}

/** Kubernetes operations of one autoscaling cycle. Methods throw KubeError. */
export interface KubeClient {
  /** Finds the plural resource for apiVersion+kind through discovery (cached). */
  resolveTarget(
    ref: { apiVersion: string; kind: string; name: string },
    namespace: string,
  ): Promise<ResolvedTarget>;
  getObject(target: ResolvedTarget): Promise<KubeObject>;
  getScale(target: ResolvedTarget): Promise<Scale>;
  /** JSON-patches `/spec/replicas`; with `resourceVersion` the write fails with 409 if the target changed. */
  patchScale(target: ResolvedTarget, replicas: number, resourceVersion?: string): Promise<Scale>;
  listPods(namespace: string, labelSelector: string): Promise<KubeObject[]>;
}

/** How to reach a cluster, like kubectl's flags. */
export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}
