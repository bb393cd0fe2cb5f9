"""Metric step: picks what the HPA formula needs out of the Kubernetes metrics CPA passes on stdin.

Prints, for the evaluator: the current replicas, the target utilization, and per pod its CPU usage and
request (millicores), split as CPA grouped the pods: ready pods with a sample, pods ignored because they
are still starting (or not Ready), and pods without a sample.
"""
import json
import sys


def main():
    payload = json.load(sys.stdin)
    cpu = payload["kubernetesMetrics"][0]
    resource = cpu["resource"]
    requests = resource["requests"]  # pod -> millicores requested, every pod of the target
    samples = resource["pod_metrics_info"]  # pod -> {"Timestamp", "Window", "Value" (millicores)}
    figure = {
        "current_replicas": cpu["current_replicas"],
        "target": cpu["spec"]["resource"]["target"].get("averageUtilization", 80),
        "ready": {pod: [s["Value"], requests.get(pod, 0)] for pod, s in samples.items()},
        "ignored": {pod: requests.get(pod, 0) for pod in resource["ignored_pods"]},
        "missing": {pod: requests.get(pod, 0) for pod in resource["missing_pods"]},
    }
    json.dump(figure, sys.stdout)


if __name__ == "__main__":
    main()
