// The kubeconfig a sandbox hands out: its server URL, its CA (so clients verify the server — no
// insecure-skip-tls-verify) and the admin's bearer token, in one context named after the sandbox.
import { stringify } from 'yaml';

/** The name of the cluster, user and context in a sandbox kubeconfig. */
export const SANDBOX_CONTEXT = 'kubectl-cpa-sandbox';

/** The kubeconfig YAML for `server` (https URL), trusting `caPem`, authenticating with `token`. */
export function renderKubeconfig(
  server: string,
  caPem: string,
  token: string,
  namespace = 'default',
): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: SANDBOX_CONTEXT,
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: `${SANDBOX_CONTEXT}-admin`, user: { token } }],
    contexts: [
      {
        name: SANDBOX_CONTEXT,
        context: { cluster: SANDBOX_CONTEXT, user: `${SANDBOX_CONTEXT}-admin`, namespace },
      },
    ],
    'current-context': SANDBOX_CONTEXT,
  };
  return stringify(config, { lineWidth: 0 });
}
