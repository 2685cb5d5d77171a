#!/usr/bin/env python3
"""Posts real CIFAR-10 test images to a running function through each route and prints the accuracy.

Usage: bench/http-accuracy.py [--url http://localhost:8080] [--data DIR] [--count 200]
                              [--routes json,raw,multipart,v2-uint8,v2-bytes]
Routes: json (base64 PNG in JSON to /predict), raw (the PNG itself as the body of /predict),
multipart (a form upload to /predict), v2-uint8 (the pixels, UINT8 [1,3,32,32], to the Open
Inference Protocol's /v2/models/cifar10/infer), v2-bytes (the PNG as a BYTES element there).
Every route answers each image with the same class, so the accuracies must be equal; the script
exits 1 when they are not. DIR is the cifar-10-batches-bin directory or its parent (default:
$CIFAR10_HOME, else ../shared/cifar10 beside the repository). Standard library only.
"""
import argparse, base64, json, os, sys, time, urllib.request
from cifar_images import default_data, png, test_file

BOUNDARY = "cifar-http-accuracy"

def post(url, body, content_type):
    request = urllib.request.Request(url, body, {"Content-Type": content_type})
    return json.load(urllib.request.urlopen(request, timeout=30))

def argmax(values):
    return max(range(len(values)), key=lambda k: values[k])

def answer(route, url, record):
    image = png(record)
    if route == "json":
        body = json.dumps({"image": base64.b64encode(image).decode()}).encode()
        return post(url + "/predict", body, "application/json")["index"]
    if route == "raw":
        return post(url + "/predict", image, "image/png")["index"]
    if route == "multipart":
        body = (("--%s\r\nContent-Disposition: form-data; name=\"image\"; filename=\"test.png\"\r\n"
                 "Content-Type: image/png\r\n\r\n" % BOUNDARY).encode() + image
                + ("\r\n--%s--\r\n" % BOUNDARY).encode())
        return post(url + "/predict", body, "multipart/form-data; boundary=" + BOUNDARY)["index"]
    if route == "v2-uint8":
        tensor = {"name": "pixels", "datatype": "UINT8", "shape": [1, 3, 32, 32], "data": list(record[1:])}
    elif route == "v2-bytes":
        tensor = {"name": "images", "datatype": "BYTES", "shape": [1], "data": [base64.b64encode(image).decode()]}
    else:
        raise SystemExit("unknown route " + route)
    body = json.dumps({"inputs": [tensor]}).encode()
    return argmax(post(url + "/v2/models/cifar10/infer", body, "application/json")["outputs"][0]["data"])

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--data", default=default_data(here))
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--routes", default="json,raw,multipart,v2-uint8,v2-bytes")
    args = p.parse_args()
    raw = open(test_file(args.data), "rb").read()
    n = min(args.count, len(raw) // 3073)
    accuracies = {}
    for route in args.routes.split(","):
        correct, started = 0, time.time()
        for i in range(n):
            record = raw[i * 3073:(i + 1) * 3073]
            correct += answer(route, args.url, record) == record[0]
        accuracies[route] = correct / n
        print("accuracy over the first %d test images through HTTP (%s): %.3f (%d correct, %.1f s)"
              % (n, route, correct / n, correct, time.time() - started))
    if len(set(accuracies.values())) > 1:
        print("the routes disagree: %s" % accuracies)
        sys.exit(1)

if __name__ == "__main__":
    main()
