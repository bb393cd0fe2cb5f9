"""Evaluate step: the HPA's replica formula, desired = ceil(current * utilization / target).

As the HPA does, a change within 10 % of the target is ignored, and pods without a usable sample are
guessed conservatively: when scaling up, pods still starting and pods without a sample count as idle;
when scaling down, pods without a sample count as fully used. A guess never reverses the direction.
"""
import json
import math
import sys

TOLERANCE = 0.1


def ratio(ready, target):
    used = sum(usage for usage, _ in ready.values())
    requested = sum(request for _, request in ready.values())
    return used * 100 / requested / target if requested else 0.0


def desired(figure):
    current = figure["current_replicas"]
    ready, target = dict(figure["ready"]), figure["target"]
    if not ready:
        return current
    first = ratio(ready, target)
    if not figure["ignored"] and not figure["missing"]:
        return current if abs(first - 1) <= TOLERANCE else math.ceil(first * len(ready))
    for pod, request in figure["missing"].items():
        ready[pod] = [request if first < 1 else 0, request]
    if first > 1:
        for pod, request in figure["ignored"].items():
            ready[pod] = [0, request]
    second = ratio(ready, target)
    if abs(second - 1) <= TOLERANCE or (first > 1) != (second > 1):
        return current
    replicas = math.ceil(second * len(ready))
    if (second < 1 and replicas > current) or (second > 1 and replicas < current):
        return current
    return replicas


def main():
    payload = json.load(sys.stdin)
    figure = json.loads(payload["metrics"][0]["value"])
    json.dump({"targetReplicas": desired(figure)}, sys.stdout)


if __name__ == "__main__":
    main()
