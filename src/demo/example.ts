// The example autoscaler that `kubectl cpa demo` runs, carried inside the program so that the single binary
// needs nothing beside it. The python files are byte-for-byte those of examples/python-custom-autoscaler
// (a unit test keeps them equal); the shell variant is for machines without python3.

/** Files of one example project, by file name. */
export type ExampleFiles = Readonly<Record<string, string>>;

/** examples/python-custom-autoscaler, as shipped. */
export const PYTHON_EXAMPLE: ExampleFiles = {
  'config.yaml':
    '# The getting-started autoscaler in the guide\'s own (CPA v0.8.0) format: `shell` is a command string and\n# the scripts live at the image paths the Dockerfile creates. `kubectl cpa run` maps /metric.py and\n# /evaluate.py to the files beside this config, so it runs unchanged on your machine.\nscaleTargetRef:\n  name: hello-kubernetes\nevaluate:\n  type: "shell"\n  timeout: 2500\n  shell: "python3 /evaluate.py"\nmetric:\n  type: "shell"\n  timeout: 2500\n  shell: "python3 /metric.py"\nrunMode: "per-resource"\n',
  'metric.py':
    '"""Metric step: reads the managed resource (JSON on stdin) and prints its numPods label."""\nimport json\nimport sys\n\n\ndef main():\n    resource = json.load(sys.stdin)\n    labels = resource.get("metadata", {}).get("labels") or {}\n    if "numPods" not in labels:\n        sys.stderr.write("no \'numPods\' label on the managed resource\\n")\n        sys.exit(1)\n    sys.stdout.write(labels["numPods"])\n\n\nif __name__ == "__main__":\n    main()\n',
  'evaluate.py':
    '"""Evaluate step: turns the gathered metric into a replica count (here: the label value itself)."""\nimport json\nimport sys\n\n\ndef main():\n    spec = json.load(sys.stdin)\n    raw = spec["metrics"][0]["value"]\n    try:\n        replicas = int(raw)\n    except ValueError:\n        sys.stderr.write(f"metric value {raw!r} is not an integer\\n")\n        sys.exit(1)\n    sys.stdout.write(json.dumps({"target_replicas": replicas}))\n\n\nif __name__ == "__main__":\n    main()\n',
  Dockerfile:
    '# The image the CPA operator would run; kubectl cpa run maps these paths to the local files.\nFROM custompodautoscaler/python:latest\nADD config.yaml evaluate.py metric.py /\n',
  'deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello-kubernetes\n  labels:\n    numPods: "3"\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      run: hello-kubernetes\n  template:\n    metadata:\n      labels:\n        run: hello-kubernetes\n    spec:\n      containers:\n        - name: hello-kubernetes\n          image: paulbouwer/hello-kubernetes:1.5\n          ports:\n            - containerPort: 8080\n',
};

/** The same autoscaler with `sh` one-liners (metric: the numPods label; evaluate: that value). */
export const SHELL_EXAMPLE: ExampleFiles = {
  'config.yaml':
    '# The demo\'s fallback when python3 is missing: the same autoscaler with shell one-liners.\nscaleTargetRef:\n  name: hello-kubernetes\nevaluate:\n  type: "shell"\n  timeout: 2500\n  shell: "sed -n \'s/.*\\"value\\":\\"\\\\([0-9]*\\\\)\\".*/{\\"target_replicas\\": \\\\1}/p\'"\nmetric:\n  type: "shell"\n  timeout: 2500\n  shell: "sed -n \'s/.*\\"numPods\\":\\"\\\\([0-9]*\\\\)\\".*/\\\\1/p\'"\nrunMode: "per-resource"\n',
  'deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hello-kubernetes\n  labels:\n    numPods: "3"\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      run: hello-kubernetes\n  template:\n    metadata:\n      labels:\n        run: hello-kubernetes\n    spec:\n      containers:\n        - name: hello-kubernetes\n          image: paulbouwer/hello-kubernetes:1.5\n          ports:\n            - containerPort: 8080\n',
};
