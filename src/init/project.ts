// A new autoscaler project as a map of file name → text, from the `init` options. Pure: the command writes
// the files, this decides what they say.
import { stringify } from 'yaml';
import type { ScaleTargetRef } from '../config/types.ts';
import { dockerfileRecipe } from './dockerfile.ts';
import { EVALUATE_PORT, languageFiles } from './languages.ts';
import { projectReadme } from './readme.ts';
import { sampleTrace, sampleWorkload } from './sample.ts';

/** What `kubectl cpa init` was asked for. */
export interface InitOptions {
  /** DIR as typed, for the README's commands. */
  dir: string;
  lang: 'python' | 'node' | 'bash';
  mode: 'per-resource' | 'per-pod';
  target: ScaleTargetRef;
  /** Serve the evaluator over HTTP (python and node). */
  http: boolean;
  /** kubectl-cpa's version, for the Dockerfile's release image. */
  version: string;
}

/** config.yaml: CPA v2 keys, the hooks at the image paths the Dockerfile creates. */
function configYaml(o: InitOptions, metricFile: string, evaluateFile: string, entrypoint: string): string {
  const shell = (file: string): object => ({
    type: 'shell',
    timeout: 2500,
    shell: { entrypoint, command: [`/${file}`] },
  });
  const evaluate = o.http
    ? {
        type: 'http',
        timeout: 2500,
        http: {
          method: 'POST',
          url: `http://127.0.0.1:${EVALUATE_PORT}/evaluate`,
          successCodes: [200],
          parameterMode: 'body',
        },
      }
    : shell(evaluateFile);
  const config = {
    scaleTargetRef: o.target,
    runMode: o.mode,
    interval: 15000,
    minReplicas: 1,
    maxReplicas: 10,
    downscaleStabilization: 120,
    metric: shell(metricFile),
    evaluate,
  };
  return (
    '# A Custom Pod Autoscaler (CPA v2 format), made by `kubectl cpa init`. The hooks are named by their path\n' +
    '# in the image (see Dockerfile); `kubectl cpa run .` maps them to the files beside this one.\n' +
    stringify(config)
  );
}

/** Every file of the new project. */
export function scaffold(o: InitOptions): Record<string, string> {
  const perPod = o.mode === 'per-pod';
  const lang = languageFiles(o.lang, perPod);
  const server = o.http ? lang.server : undefined;
  const workload = sampleWorkload(o.target, perPod);
  const imageFiles = ['config.yaml', lang.metric.file, lang.evaluate.file, ...(server ? [server.file] : [])];
  const files: Record<string, string> = {
    'config.yaml': configYaml(o, lang.metric.file, lang.evaluate.file, lang.entrypoint),
    [lang.metric.file]: lang.metric.text,
    [lang.evaluate.file]: lang.evaluate.text,
    'trace.csv': sampleTrace(perPod),
    Dockerfile: dockerfileRecipe({
      base: lang.base,
      files: imageFiles,
      version: o.version,
      ...(server ? { sidecar: server.start } : {}),
    }),
    'README.md': projectReadme({
      dir: o.dir,
      target: o.target,
      perPod,
      metricFile: lang.metric.file,
      evaluateFile: lang.evaluate.file,
      hasWorkload: workload !== null,
      ...(server ? { serverStart: server.start.replace(' /', ' ') } : {}),
    }),
  };
  if (server) files[server.file] = server.text;
  if (workload !== null) files['deployment.yaml'] = workload;
  return files;
}
