// What the JSON transport (kube-request.ts) and the streamer (kube-stream.ts) share about reaching the API
// server of a kubeconfig's current context: the server URL, the credentials and TLS material from
// client-node's KubeConfig.applyToHTTPSOptions (asked again on every request, so that expiring exec/OIDC
// tokens are refreshed), the proxy rule, and TLS failures explained in kubectl's words.
import type https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CpaError, KubeError } from '../errors.ts';
import type { KubeCall } from '../ports.ts';

/** The TLS material of a request, as https.Agent and https.request take it. */
export type TlsOptions = Pick<
  https.AgentOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'
>;

/** The API server of one kubeconfig context, ready to be called. */
export interface KubeEndpoint {
  /** The server URL without trailing slashes, for messages. */
  server: string;
  /** True when the cluster has a proxy-url: client-node then builds a proxy agent that must be kept. */
  proxied: boolean;
  /**
   * Headers, credentials, TLS material (and a proxy agent) for one request. Exec plugins, token files and
   * certificate files are read here; their failures reject with a KubeError that names the server and call.
   */
  authorize(call: KubeCall): Promise<https.RequestOptions>;
  /** The URL of an API path; the server URL may carry a path prefix (Rancher's `/k8s/clusters/c-1`). */
  url(path: string, query?: Record<string, string>): URL;
}

/** The endpoint of the current context of `kc`. Throws CpaError when the context has no cluster. */
export function kubeEndpoint(kc: KubeConfig): KubeEndpoint {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new CpaError(`kubeconfig context "${kc.getCurrentContext()}" has no cluster`);
  const server = cluster.server.replace(/\/+$/, '');
  return {
    server,
    proxied: Boolean(cluster.proxyUrl),
    async authorize(call) {
      const opts: https.RequestOptions = { headers: {} };
      try {
        await kc.applyToHTTPSOptions(opts);
      } catch (err) {
        const details = {
          verb: call.verb,
          resource: call.resource,
          namespace: call.namespace,
          name: call.name,
        };
        throw new KubeError(
          `failed to prepare credentials for ${server}: ${(err as Error).message}`,
          details,
          {
            cause: err,
          },
        );
      }
      return opts;
    },
    url(path, query) {
      const url = new URL(server + path);
      for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
      return url;
    },
  };
}

/** The TLS material among `auth`, without the fields it leaves unset. */
export function tlsOf(auth: https.RequestOptions): Partial<TlsOptions> {
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = auth;
  const tls: TlsOptions = { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername };
  return Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)) as Partial<TlsOptions>;
}

/** OpenSSL's verification codes that mean "the kubeconfig's CA does not vouch for this certificate". */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/**
 * A TLS verification failure in the words kubectl users know (`x509: …`), saying what does not trust what;
 * OpenSSL's own text ("unable to verify the first certificate") follows. The code is kept for hints.
 * Other errors are returned as they are.
 */
export function explainTls(cause: unknown): unknown {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(cause instanceof Error)) return cause;
  const what = UNTRUSTED.has(code)
    ? "the server's certificate is not trusted by the certificate-authority of the kubeconfig"
    : code === 'CERT_HAS_EXPIRED'
      ? "the server's certificate has expired"
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? "the server's certificate is not valid for this server name"
        : undefined;
  if (what === undefined) return cause;
  return Object.assign(new Error(`x509: ${what}: ${cause.message}`, { cause }), { code });
}
