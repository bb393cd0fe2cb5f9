// Where `npm run cluster:up` keeps the long-running test cluster: `.cluster/` in the repository root
// (git-ignored), so tests and `cluster:down` find it without any configuration.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Paths of the background cluster started by cluster:up. */
export const clusterPaths = {
  root,
  /** `.cluster/`: everything below it belongs to the background cluster. */
  stateDir: join(root, '.cluster'),
  /** Published once the cluster is ready; its presence means "a cluster is up". */
  clusterJson: join(root, '.cluster', 'cluster.json'),
  /** A copy of the admin kubeconfig, for `KUBECONFIG=.cluster/kubeconfig kubectl …` by hand. */
  kubeconfig: join(root, '.cluster', 'kubeconfig'),
  /** The harness working directory (data, certificates, logs). */
  runDir: join(root, '.cluster', 'run'),
  /** Output of the supervisor process, including the build progress. */
  supervisorLog: join(root, '.cluster', 'run', 'logs', 'supervisor.log'),
  /** The supervisor program that up.ts starts in the background. */
  serveScript: fileURLToPath(new URL('./serve.ts', import.meta.url)),
};
