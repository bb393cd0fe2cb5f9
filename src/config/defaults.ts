// Every default in one place. CPA v2.12.2's defaults except where CPA's default is a defect
// (no method timeout means "time out at once" in CPA; we use DEFAULT_TIMEOUT_MS instead).

/** A method without `timeout` gets this many milliseconds (CPA: 0, i.e. every call times out). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Top-level defaults, in CPA's key names and units (ms for interval/startTime, s for windows). */
export const DEFAULTS = {
  interval: 15_000,
  startTime: 1,
  minReplicas: 1,
  maxReplicas: 10,
  runMode: 'per-pod',
  logVerbosity: 0,
  downscaleStabilization: 0,
  requireKubernetesMetrics: false,
  initialReadinessDelay: 30,
  cpuInitializationPeriod: 300,
  metricConcurrency: 10,
  apiConfig: {
    enabled: true,
    useHTTPS: false,
    // CPA binds 0.0.0.0 inside its pod; a process on a laptop must not expose user logic to the network.
    host: '127.0.0.1',
    port: 5000,
    certFile: '',
    keyFile: '',
  },
  /** v0.8.0 (seed) top-level `host`/`port`. */
  seedHost: '127.0.0.1',
  seedPort: 5000,
} as const;

/** Bytes of stdout or stderr a shell method may produce before the call fails. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;
