"""The guide's last step: scale to twice the label value. Copy it over evaluate.py to try it."""
import json
import sys


def main():
    spec = json.load(sys.stdin)
    replicas = int(spec["metrics"][0]["value"]) * 2
    sys.stdout.write(json.dumps({"target_replicas": replicas}))


if __name__ == "__main__":
    main()
