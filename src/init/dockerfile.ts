// The one Dockerfile recipe for running an autoscaler project in a cluster: the hooks' runtime as the base,
// the kubectl-cpa binary copied from its release image, the project's files at /. `init` writes it into
// every project and the deploy docs reuse it, so there is a single text to keep right.

/** The release image that carries the kubectl-cpa binary at /kubectl-cpa. */
export const KUBECTL_CPA_IMAGE = 'ghcr.io/kubectl-cpa/kubectl-cpa';

/** What the image is built from. */
export interface DockerfileRecipe {
  /** The base image with the hooks' runtime, e.g. `python:3.12-slim`. */
  base: string;
  /** The project files copied to / (the paths config.yaml names). */
  files: readonly string[];
  /** kubectl-cpa release tag. */
  version: string;
  /** A process to start beside the autoscaler (an HTTP evaluator), if any. */
  sidecar?: string;
}

/** The Dockerfile text. `kubectl cpa run DIR` reads the same file to map /metric.py etc. to DIR's files. */
export function dockerfileRecipe(recipe: DockerfileRecipe): string {
  const run = 'kubectl-cpa run /';
  const cmd =
    recipe.sidecar === undefined
      ? `CMD ["kubectl-cpa", "run", "/"]`
      : `CMD ["/bin/sh", "-c", "${recipe.sidecar} & exec ${run}"]`;
  return [
    "# The in-cluster image of this autoscaler: the hooks' runtime, kubectl-cpa copied from its release image,",
    '# and the project files at /. `kubectl cpa run .` reads this file too and maps the paths below to the',
    '# files beside it, so config.yaml runs unchanged on your machine and in the cluster.',
    `FROM ${recipe.base}`,
    `COPY --from=${KUBECTL_CPA_IMAGE}:${recipe.version} /kubectl-cpa /usr/local/bin/`,
    `COPY ${recipe.files.join(' ')} /`,
    cmd,
    '',
  ].join('\n');
}
