// The version string; the build replaces __KUBECTL_CPA_VERSION__ with package.json's version.
declare const __KUBECTL_CPA_VERSION__: string | undefined;

/** kubectl-cpa's version, `development` when run from source. */
export const VERSION: string =
  typeof __KUBECTL_CPA_VERSION__ === 'string' ? __KUBECTL_CPA_VERSION__ : 'development';
