#!/usr/bin/env python3
"""The exported ONNX model, checked outside Java against the function that serves the artifact.

Checks the model with the onnx package's full checker (types and shapes inferred), prints its
IR version, operator set, input, output and metadata, then runs it in ONNX Runtime on the first
--count real test images (uint8 pixels straight from test_batch.bin) and compares the
probabilities with those the packaged function (the DJL classifier, the same artifact) answers
through /v2 for the same pixels: the largest difference, how many images' classes agree, and the
accuracy of each. Exits 1 when a probability differs by more than --tolerance.

Needs: mvn install done (function/target/quarkus-app, and the model exported beside the packaged
artifact), and a Python with onnx, onnxruntime and numpy:
  python3 -m venv /opt/onnx && /opt/onnx/bin/pip install onnx onnxruntime numpy
Usage: /opt/onnx/bin/python bench/onnx-check.py [--count 1000] [--model path.onnx]
"""
import argparse, json, os, sys, time, urllib.request
import numpy as np
import onnx
import onnxruntime as ort
from cifar_images import default_data, test_file
from cpu import kind
from serving import java, stop, wait_ready
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODEL = os.path.join(ROOT, "function/target/generated-resources/cifar/model/cifar10.onnx")
PORT = 8093
BATCH = 50


def function_probabilities(images):
    """The packaged function's probabilities for uint8 images [N,3,32,32], through /v2."""
    p = subprocess.Popen(java(PORT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, MALLOC_ARENA_MAX="2"))
    try:
        wait_ready(p, PORT)
        out = []
        for i in range(0, len(images), BATCH):
            batch = images[i:i + BATCH]
            body = json.dumps({"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": list(batch.shape),
                                           "data": batch.flatten().tolist()}]}).encode()
            req = urllib.request.Request("http://127.0.0.1:%d/v2/models/cifar10/infer" % PORT, body,
                                         {"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=60) as r:
                answer = json.load(r)["outputs"][0]
            out.append(np.array(answer["data"], dtype=np.float32).reshape(answer["shape"]))
        return np.concatenate(out)
    finally:
        stop(p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--data", default=default_data(HERE))
    a = ap.parse_args()

    model = onnx.load(a.model)
    onnx.checker.check_model(model, full_check=True)
    meta = {p.key: p.value for p in model.metadata_props}
    print("%s: onnx checker (full) passed; IR %d, opset %s, producer %s %s" % (
        os.path.relpath(a.model, ROOT), model.ir_version,
        ",".join("%s:%d" % (o.domain or "ai.onnx", o.version) for o in model.opset_import),
        model.producer_name, model.producer_version))
    print("input %s, output %s" % (model.graph.input[0].name, model.graph.output[0].name))
    serving = json.loads(meta["cifar.serving"])
    print("network %s, test-time augmentation %s, checksum %s..." % (
        serving["network"], serving["testTimeAugmentation"], meta["cifar.checksum"][:12]))

    records = np.fromfile(test_file(a.data), dtype=np.uint8).reshape(-1, 3073)[:a.count]
    labels = records[:, 0]
    images = records[:, 1:].reshape(-1, 3, 32, 32)
    session = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"])
    t0 = time.time()
    onnx_p = np.concatenate([session.run(None, {"pixels": images[i:i + BATCH]})[0]
                             for i in range(0, len(images), BATCH)])
    onnx_s = time.time() - t0
    djl_p = function_probabilities(images)
    diff = float(np.abs(onnx_p - djl_p).max())
    agree = int((onnx_p.argmax(1) == djl_p.argmax(1)).sum())
    print("%d test images (%s): largest probability difference %.2e (tolerance %.0e); classes agree on %d; "
          "accuracy ONNX Runtime %.4f, function %.4f; ONNX Runtime %s took %.2f s" % (
              len(images), kind(), diff, a.tolerance, agree, float((onnx_p.argmax(1) == labels).mean()),
              float((djl_p.argmax(1) == labels).mean()), ort.__version__, onnx_s))
    if diff > a.tolerance:
        sys.exit("the ONNX model and the function disagree beyond the tolerance")


if __name__ == "__main__":
    main()
