"""Metric step: reads the managed resource (JSON on stdin) and prints its numPods label."""
import json
import sys


def main():
    resource = json.load(sys.stdin)
    labels = resource.get("metadata", {}).get("labels") or {}
    if "numPods" not in labels:
        sys.stderr.write("no 'numPods' label on the managed resource\n")
        sys.exit(1)
    sys.stdout.write(labels["numPods"])


if __name__ == "__main__":
    main()
