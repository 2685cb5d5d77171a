#!/usr/bin/env python3
"""Sustained load on the packaged function: good and bad requests from several connections.

Starts `java -jar function/target/quarkus-app/quarkus-run.jar` (build it first: mvn install),
learns the answer for each of the first 64 real CIFAR-10 test images, then for a bounded time
and request count sends, from N threads on loopback, a mix of those images (PNG) and bad
requests from function/src/test/resources/bad-requests. It checks every answer: known images
must get their learned answer, bad requests their 4xx; any 5xx or wrong answer is counted.
Resident memory of the server is sampled every 10 s. Prints one line per minute (requests,
p50/p99 latency, RSS) and a verdict; exits non-zero on any 5xx, wrong answer or memory growth
over 10% after warm-up. Standard library only.

Usage: bench/load-test.py [--seconds 300] [--max-requests 2000000] [--threads 8] [--port 8089]
"""
import argparse, base64, glob, json, os, subprocess, sys, threading, time, urllib.request, urllib.error
from cifar_images import default_data, png, test_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

def bad_requests():
    out = []
    for f in sorted(glob.glob(os.path.join(ROOT, "function/src/test/resources/bad-requests/*.http"))):
        raw = open(f, "rb").read()
        head, body = raw.split(b"\n\n", 1)
        lines = head.decode().split("\n")
        method, path = lines[0].split(" ", 1)
        headers = dict(l.split(": ", 1) for l in lines[1:])
        status = int(headers["Expect-Status"])
        if status == 200 or "Fill" in headers or len(body) > 100000 or method != "POST":
            continue
        out.append((path, headers.get("Content-Type"), body, status, os.path.basename(f)))
    return out

def post(port, path, body, content_type, timeout=30):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), body, method="POST")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

def rss_mb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=300)
    ap.add_argument("--max-requests", type=int, default=2_000_000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--port", type=int, default=8089)
    ap.add_argument("--data", default=default_data(HERE))
    args = ap.parse_args()
    raw = open(test_file(args.data), "rb").read()
    images = [json.dumps({"image": base64.b64encode(png(raw[i*3073:(i+1)*3073])).decode()}).encode()
              for i in range(64)]
    bad = bad_requests()

    jar = os.path.join(ROOT, "function/target/quarkus-app/quarkus-run.jar")
    server = subprocess.Popen(["java", "-Dquarkus.http.port=%d" % args.port, "-jar", jar],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/q/health/ready" % args.port, timeout=2)
                break
            except Exception:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("the function did not become ready")
                time.sleep(0.3)
        expected = [json.loads(post(args.port, "/predict", b, "application/json")[1])["index"] for b in images]

        lock = threading.Lock()
        stats = {"n": 0, "good": 0, "bad": 0, "5xx": 0, "wrong": 0, "errors": []}
        latencies = []          # (time, seconds)
        stop = threading.Event()
        start = time.time()

        def worker(tid):
            i = tid
            while not stop.is_set():
                with lock:
                    if stats["n"] >= args.max_requests:
                        stop.set()
                        return
                    stats["n"] += 1
                i += 1
                t0 = time.time()
                if i % 5 == 0 and bad:
                    path, ctype, body, status, name = bad[(i // 5) % len(bad)]
                    code, text = post(args.port, path, body, ctype)
                    ok = code == status and b'"error"' in text
                    kind = "bad"
                else:
                    k = i % len(images)
                    code, text = post(args.port, "/predict", images[k], "application/json")
                    ok = code == 200 and json.loads(text)["index"] == expected[k]
                    kind = "good"
                    name = "image %d" % k
                dt = time.time() - t0
                with lock:
                    stats[kind] += 1
                    latencies.append((t0 - start, dt))
                    if code >= 500:
                        stats["5xx"] += 1
                    if not ok:
                        stats["wrong"] += 1
                        if len(stats["errors"]) < 5:
                            stats["errors"].append("%s: %d %s" % (name, code, text[:200]))

        threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(args.threads)]
        for t in threads:
            t.start()
        memory = []
        minute = 0
        print("%-8s %10s %9s %9s %9s" % ("minute", "requests", "p50 ms", "p99 ms", "RSS MB"))
        while not stop.is_set() and time.time() - start < args.seconds:
            time.sleep(min(10, max(0.1, args.seconds - (time.time() - start))))
            memory.append((time.time() - start, rss_mb(server.pid)))
            elapsed = time.time() - start
            if int(elapsed // 60) > minute or stop.is_set() or elapsed >= args.seconds:
                with lock:
                    window = [d for t, d in latencies if minute * 60 <= t < (minute + 1) * 60]
                print("%-8d %10d %9.2f %9.2f %9.0f" % (minute + 1, len(window), 1000 * pct(window, 50),
                                                      1000 * pct(window, 99), memory[-1][1]), flush=True)
                minute = int(elapsed // 60)
        stop.set()
        for t in threads:
            t.join(timeout=35)
        total = time.time() - start
        warm = [m for t, m in memory if t >= 30] or [m for _, m in memory]
        growth = (warm[-1] - warm[0]) / warm[0] if warm else 0.0
        all_lat = [d for _, d in latencies]
        print("requests %d (%d good, %d bad) in %.0f s = %.0f req/s with %d threads; p50 %.2f ms, p99 %.2f ms"
              % (stats["n"], stats["good"], stats["bad"], total, stats["n"] / total, args.threads,
                 1000 * pct(all_lat, 50), 1000 * pct(all_lat, 99)))
        print("5xx: %d, wrong answers: %d, RSS after warm-up %.0f -> %.0f MB (%+.1f%%)"
              % (stats["5xx"], stats["wrong"], warm[0], warm[-1], 100 * growth))
        for e in stats["errors"]:
            print("  " + e)
        ok = stats["5xx"] == 0 and stats["wrong"] == 0 and growth <= 0.10
        print("verdict: %s" % ("PASS" if ok else "FAIL"))
        sys.exit(0 if ok else 1)
    finally:
        server.terminate()
        server.wait(timeout=30)

if __name__ == "__main__":
    main()
