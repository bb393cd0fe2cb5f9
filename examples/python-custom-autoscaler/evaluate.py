"""Evaluate step: turns the gathered metric into a replica count (here: the label value itself)."""
import json
import sys


def main():
    spec = json.load(sys.stdin)
    raw = spec["metrics"][0]["value"]
    try:
        replicas = int(raw)
    except ValueError:
        sys.stderr.write(f"metric value {raw!r} is not an integer\n")
        sys.exit(1)
    sys.stdout.write(json.dumps({"target_replicas": replicas}))


if __name__ == "__main__":
    main()
