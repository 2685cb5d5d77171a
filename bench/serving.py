#!/usr/bin/env python3
"""Serving, cold start and memory, side by side: the function (JVM) on each engine against a
FastAPI peer.

Every server serves the seed network on loopback; the load is wrk (Debian package) posting the
same base64 PNG of a real test image. The function runs on PyTorch (cifar.engine=pytorch) and on
ONNX Runtime (cifar.engine=onnxruntime), both from the default build; with --light, the light
build too (no libtorch); with --jdk25, ONNX Runtime on JDK 25 with the AOT cache its warm-up
writes (as deploy/container/function-cpu.Dockerfile does); with --quarkus-aot, a build whose
app.aot Quarkus trained with the integration tests. For each server, after a warm-up:
  - latency p50/p99 at 1 connection, throughput and p99 at 8 and 32 connections (wrk, --seconds each);
  - a 64-image predictBatch call (median of 20);
  - cold start: process start to first answered prediction (median of --starts fresh processes);
  - resident memory after start and after 100 and 10,000 requests.
The function runs as the product does: java @.../quarkus-app/jvm.options (the JVM settings the
Dockerfiles use) with the start-up cache their warm-up writes, written here the same way (one
start until ready) before the cold starts are timed. --lambda-zip weighs the Lambda bundle.
Every figure of one run is measured in the same run; ratios are what count on a noisy machine.
Raw numbers go to bench/results/serving.json.

--routes measures instead every way in (JSON, raw image body, multipart form, /v2 UINT8 and
BYTES) at 1 and 8 connections, against the peer's equivalent routes (results/serving-routes.json).

Needs: mvn install done (function/target/quarkus-app), wrk, python3-fastapi, python3-uvicorn,
python3-multipart, python3-torch, python3-torchvision.
Usage: bench/serving.py [--seconds 10] [--starts 5] [--light DIR] [--jdk25 JAVA_HOME]
                        [--quarkus-aot DIR] [--lambda-zip ZIP] [--routes]
"""
import argparse, base64, json, os, re, statistics, subprocess, sys, tempfile, time, urllib.request
from cifar_images import default_data, png, test_file
from cpu import cpu, kind

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

def load_png(data):
    return png(open(test_file(data), "rb").read(3073))

def post(url, body, timeout=30):
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()

def rss_mb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

APP = os.path.join(ROOT, "function/target/quarkus-app")

class Function:
    """One way to run the function: its quarkus-app folder, engine and java, and the start-up cache
    it reads: this JVM's class-data archive (AppCDS, JDK 17+) or its AOT cache (JDK 25), each
    written as the Dockerfiles' warm-up writes it (one start until ready), or the AOT cache Quarkus
    wrote at build time (quarkus.package.jar.aot.enabled, trained by the integration tests)."""
    def __init__(self, name, app, engine, java="java", cache="cds"):
        self.name, self.app, self.engine, self.java, self.cache = name, app, engine, java, cache
        suffix = ".jsa" if cache == "cds" else ".aot"
        self.archive = (os.path.join(app, "app.aot") if cache == "quarkus-aot" else
                        os.path.join(tempfile.gettempdir(), "cifar-serving-%s%s" % (name, suffix)))

    def __str__(self):
        return "function (%s)" % self.name

    def command(self, port, *extra):
        """The product's run command (the JVM settings of jvm.options, as in deploy/container/)."""
        return [self.java, "@" + os.path.join(self.app, "jvm.options"), *extra, "-Dcifar.engine=" + self.engine,
                "-Dquarkus.http.port=%d" % port, "-jar", os.path.join(self.app, "quarkus-run.jar")]

    def read_cache(self):
        return ("-XX:SharedArchiveFile=" if self.cache == "cds" else "-XX:AOTCache=") + self.archive

    def write_cache(self, port):
        """Start once until ready and stop: the JVM writes its cache at exit."""
        if self.cache == "quarkus-aot":
            if not os.path.exists(self.archive):
                sys.exit("%s: no %s (build with -Dquarkus.package.jar.aot.enabled=true on JDK 25)" % (self, self.archive))
            return
        if os.path.exists(self.archive):
            os.unlink(self.archive)
        flag = ("-XX:ArchiveClassesAtExit=" if self.cache == "cds" else "-XX:AOTCacheOutput=") + self.archive
        p = subprocess.Popen(self.command(port, flag), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=function_env())
        wait_ready(p, port)
        stop(p)
        if not os.path.exists(self.archive):
            sys.exit("%s: the JVM wrote no %s" % (self, self.archive))

def function_env():
    return dict(os.environ, MALLOC_ARENA_MAX="2", OPENBLAS_NUM_THREADS="1")  # as in the Dockerfiles

def wait_ready(p, port):
    """Waits until the function started as process p answers its readiness check."""
    t0 = time.time()
    while True:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/q/health/ready" % port, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:
            if p.poll() is not None or time.time() - t0 > 120:
                sys.exit("function did not start")
            time.sleep(0.05)

def start(server, port):
    if isinstance(server, Function):
        return subprocess.Popen(server.command(port, server.read_cache()),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=function_env())
    cmd = ["/usr/bin/python3", os.path.join(HERE, "peer", "serve_fastapi.py"), "--port", str(port)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))

def first_prediction(server, port, body):
    t0 = time.time()
    p = start(server, port)
    while True:
        try:
            if post("http://127.0.0.1:%d/predict" % port, body, timeout=5)[0] == 200:
                return p, time.time() - t0
        except Exception:
            if p.poll() is not None or time.time() - t0 > 120:
                sys.exit("%s did not start" % server)
            time.sleep(0.01)

def stop(p):
    p.terminate()
    try:
        p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}

def wrk(url, body_file, connections, seconds, content_type="application/json"):
    lua = "wrk.method='POST'\nwrk.headers['Content-Type']='%s'\nlocal f=io.open('%s','rb')\nwrk.body=f:read('*a')\nf:close()\n" % (
        content_type, body_file)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as s:
        s.write(lua)
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", "%ds" % seconds,
                          "--latency", "-s", s.name, url], capture_output=True, text=True).stdout
    os.unlink(s.name)
    lat = {m.group(1): float(m.group(2)) * UNITS[m.group(3)]
           for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50_ms": lat["50"], "p99_ms": lat["99"], "requests_per_second": rps,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0}

def measure(server, port, body, batch, seconds, starts):
    r = {"cold_start_s": []}
    if isinstance(server, Function):
        server.write_cache(port)
    for _ in range(starts):
        p, s = first_prediction(server, port, body)
        r["cold_start_s"].append(s)
        stop(p)
    p, _ = first_prediction(server, port, body)
    try:
        r["rss_after_start_mb"] = rss_mb(p.pid)
        url = "http://127.0.0.1:%d/predict" % port
        with tempfile.NamedTemporaryFile("wb", delete=False) as f:
            f.write(body)
        wrk(url, f.name, 8, max(3, seconds // 2))                      # warm-up
        for c in (1, 8, 32):
            r["c%d" % c] = wrk(url, f.name, c, seconds)
        times = []
        for _ in range(20):
            t0 = time.time()
            post("http://127.0.0.1:%d/predictBatch" % port, batch)
            times.append(time.time() - t0)
        r["batch64_ms"] = 1000 * statistics.median(times)
        n = 0
        for _ in range(100):
            post(url, body); n += 1
        r["rss_after_100_mb"] = rss_mb(p.pid)
        while n < 10000:
            post(url, body); n += 1
        r["rss_after_10000_mb"] = rss_mb(p.pid)
        os.unlink(f.name)
    finally:
        stop(p)
    r["cold_start_median_s"] = statistics.median(r["cold_start_s"])
    return r

BOUNDARY = "cifar-bench-boundary"

def routes(data):
    """Each way in, as (name, the function's path, the peer's path, Content-Type, body): the
    same real test image as JSON, as the raw body, as a form's file, and through /v2 as UINT8
    pixels and as BYTES."""
    record = open(test_file(data), "rb").read(3073)
    image = png(record)
    b64 = base64.b64encode(image).decode()
    form = (("--%s\r\nContent-Disposition: form-data; name=\"image\"; filename=\"cat.png\"\r\n"
             "Content-Type: image/png\r\n\r\n" % BOUNDARY).encode() + image +
            ("\r\n--%s--\r\n" % BOUNDARY).encode())
    v2 = "/v2/models/cifar10/infer"
    pixels = {"inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [1, 3, 32, 32],
                          "data": list(record[1:])}]}
    images = {"inputs": [{"name": "images", "datatype": "BYTES", "shape": [1], "data": [b64]}]}
    return [("JSON base64", "/predict", "/predict", "application/json", json.dumps({"image": b64}).encode()),
            ("raw image/png", "/predict", "/predict/raw", "image/png", image),
            ("multipart form", "/predict", "/predict/form", "multipart/form-data; boundary=" + BOUNDARY, form),
            ("/v2 UINT8", v2, v2, "application/json", json.dumps(pixels).encode()),
            ("/v2 BYTES", v2, v2, "application/json", json.dumps(images).encode())]

def measure_routes(server, port, body, seconds, data):
    """1-connection latency and 8-connection throughput of every route of routes()."""
    p, _ = first_prediction(server, port, body)
    out = {}
    try:
        for name, path, peer_path, content_type, route_body in routes(data):
            url = "http://127.0.0.1:%d%s" % (port, path if isinstance(server, Function) else peer_path)
            with tempfile.NamedTemporaryFile("wb", delete=False) as f:
                f.write(route_body)
            wrk(url, f.name, 8, max(3, seconds // 2), content_type)        # warm-up
            out[name] = {"c1": wrk(url, f.name, 1, seconds, content_type),
                         "c8": wrk(url, f.name, 8, seconds, content_type)}
            os.unlink(f.name)
    finally:
        stop(p)
    return out

def main_routes(a, body):
    res = {"function": measure_routes(Function("auto", APP, "auto"), 8091, body, a.seconds, a.data),
           "fastapi": measure_routes("fastapi", 8092, body, a.seconds, a.data)}
    print("| route | 1 conn p50 function (ms) | peer | advantage | 8 conn req/s function | peer | advantage |")
    print("|---|---|---|---|---|---|---|")
    bad = 0
    for name in res["function"]:
        f, q = res["function"][name], res["fastapi"][name]
        bad += sum(r[c]["non_2xx"] for r in (f, q) for c in ("c1", "c8"))
        print("| %s | %.2f | %.2f | %.2fx | %.0f | %.0f | %.2fx |" % (
            name, f["c1"]["p50_ms"], q["c1"]["p50_ms"], q["c1"]["p50_ms"] / f["c1"]["p50_ms"],
            f["c8"]["requests_per_second"], q["c8"]["requests_per_second"],
            f["c8"]["requests_per_second"] / q["c8"]["requests_per_second"]))
    print("non-2xx answers: %d" % bad)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "serving-routes.json"), "w") as out:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": cpu(), "cpu_kind": kind(), "results": res}, out,
                  indent=1)
    if bad:
        sys.exit("some requests were not answered with a 2xx")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--routes", action="store_true",
                    help="instead: 1-connection p50 and 8-connection req/s of every route (JSON, raw, form, /v2)")
    ap.add_argument("--data", default=default_data(HERE))
    ap.add_argument("--light", help="a copy of the light build's function/target/quarkus-app (mvn package -Plight)")
    ap.add_argument("--jdk25", help="a JDK 25 (JAVA_HOME): adds the light build (or the default one) on it with"
                    " the AOT cache its warm-up writes, as deploy/container/function-cpu.Dockerfile does")
    ap.add_argument("--quarkus-aot", help="a quarkus-app built on JDK 25 with -Dquarkus.package.jar.aot.enabled=true"
                    " (its app.aot trained by the integration tests), run on --jdk25")
    ap.add_argument("--lambda-zip", help="the Lambda bundle to weigh (mvn package -Plambda: function/target/function.zip)")
    a = ap.parse_args()
    image = base64.b64encode(load_png(a.data)).decode()
    if a.routes:
        return main_routes(a, json.dumps({"image": image}).encode())
    body = json.dumps({"image": image}).encode()
    batch = json.dumps({"images": [{"image": image}] * 64}).encode()
    servers = [Function("pytorch", APP, "pytorch"), Function("onnxruntime", APP, "onnxruntime")]
    if a.light:
        servers.append(Function("light", a.light, "auto"))
    if a.jdk25:
        java25 = os.path.join(a.jdk25, "bin", "java")
        servers.append(Function("onnxruntime-jdk25-aot", a.light or APP, "onnxruntime", java25, "aot"))
        if a.quarkus_aot:
            servers.append(Function("onnxruntime-jdk25-quarkus-aot", a.quarkus_aot, "onnxruntime", java25,
                                    "quarkus-aot"))
    res = {}
    for server in servers:
        res[server.name] = measure(server, 8091, body, batch, a.seconds, a.starts)
    res["fastapi"] = measure("fastapi", 8092, body, batch, a.seconds, a.starts)
    rows = [("1 connection p50 (ms)", lambda r: r["c1"]["p50_ms"], False),
            ("1 connection p99 (ms)", lambda r: r["c1"]["p99_ms"], False),
            ("1 connection req/s", lambda r: r["c1"]["requests_per_second"], True),
            ("8 connections req/s", lambda r: r["c8"]["requests_per_second"], True),
            ("8 connections p99 (ms)", lambda r: r["c8"]["p99_ms"], False),
            ("32 connections req/s", lambda r: r["c32"]["requests_per_second"], True),
            ("32 connections p99 (ms)", lambda r: r["c32"]["p99_ms"], False),
            ("predictBatch of 64 (ms)", lambda r: r["batch64_ms"], False),
            ("cold start to first prediction (s, median of %d)" % a.starts, lambda r: r["cold_start_median_s"], False),
            ("RSS after start (MB)", lambda r: r["rss_after_start_mb"], False),
            ("RSS after 100 requests (MB)", lambda r: r["rss_after_100_mb"], False),
            ("RSS after 10,000 requests (MB)", lambda r: r["rss_after_10000_mb"], False)]
    names = [s.name for s in servers]
    print("| figure | " + " | ".join("function, %s" % n for n in names) + " | FastAPI + torch 1.13 | best function's advantage |")
    print("|---|" + "---|" * (len(names) + 2))
    for title, get, higher in rows:
        values = [get(res[n]) for n in names]
        peer = get(res["fastapi"])
        best = max(values) if higher else min(values)
        print("| %s | %s | %.2f | %.2fx |" % (title, " | ".join("%.2f" % v for v in values), peer,
                                               (best / peer) if higher else (peer / best)))
    print("non-2xx answers: " + ", ".join("%s %d" % (n, sum(res[n]["c%d" % c]["non_2xx"] for c in (1, 8, 32)))
                                          for n in names + ["fastapi"]))
    bundle = {}
    if a.lambda_zip and os.path.exists(a.lambda_zip):
        bundle = {"path": os.path.relpath(a.lambda_zip, ROOT), "mb": os.path.getsize(a.lambda_zip) / 1e6}
        print("Lambda bundle %s: %.1f MB zipped" % (bundle["path"], bundle["mb"]))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "serving.json"), "w") as out:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": cpu(), "cpu_kind": kind(), "results": res,
                   "lambda_bundle": bundle}, out, indent=1)

if __name__ == "__main__":
    main()
