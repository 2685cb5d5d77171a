#!/usr/bin/env python3
"""Posts real CIFAR-10 test images as PNG to a running function and prints the accuracy.

Usage: bench/http-accuracy.py [--url http://localhost:8080] [--data DIR] [--count 200]
DIR is the cifar-10-batches-bin directory or its parent (default: $CIFAR10_HOME, else
../shared/cifar10 beside the repository). Standard library only.
"""
import argparse, base64, json, os, sys, time, urllib.request
from cifar_images import default_data, png, test_file

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--data", default=default_data(here))
    p.add_argument("--count", type=int, default=200)
    args = p.parse_args()
    raw = open(test_file(args.data), "rb").read()
    n = min(args.count, len(raw) // 3073)
    correct, started = 0, time.time()
    for i in range(n):
        record = raw[i * 3073:(i + 1) * 3073]
        body = json.dumps({"image": base64.b64encode(png(record)).decode()}).encode()
        request = urllib.request.Request(args.url + "/predict", body, {"Content-Type": "application/json"})
        answer = json.load(urllib.request.urlopen(request, timeout=30))
        correct += answer["index"] == record[0]
        if i == 0:
            print("first image: true class %d, answer %s" % (record[0], json.dumps(answer)))
    print("accuracy over the first %d test images through HTTP: %.3f (%d correct, %.1f s)"
          % (n, correct / n, correct, time.time() - started))

if __name__ == "__main__":
    main()
