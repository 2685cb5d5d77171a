#!/usr/bin/env python3
"""Posts real CIFAR-10 test images as PNG to a running function and prints the accuracy.

Usage: bench/http-accuracy.py [--url http://localhost:8080] [--data DIR] [--count 200]
DIR is the cifar-10-batches-bin directory or its parent (default: $CIFAR10_HOME, else
../shared/cifar10 beside the repository). Standard library only.
"""
import argparse, base64, json, os, struct, sys, time, urllib.request, zlib

def png(record):
    """Encodes one CIFAR record (label byte + R, G, B planes) as an RGB PNG."""
    px = record[1:]
    rows = b"".join(b"\x00" + bytes(v for x in range(32) for v in (px[y*32+x], px[1024+y*32+x], px[2048+y*32+x]))
                    for y in range(32))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

def test_file(data):
    for candidate in (os.path.join(data, "test_batch.bin"), os.path.join(data, "cifar-10-batches-bin", "test_batch.bin")):
        if os.path.isfile(candidate):
            return candidate
    sys.exit("no test_batch.bin in %s or its cifar-10-batches-bin/" % data)

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_data = os.environ.get("CIFAR10_HOME") or os.path.join(here, "..", "..", "shared", "cifar10")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--data", default=default_data)
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
