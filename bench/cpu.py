"""Names the CPU a figure comes from: model (with its family and model number: AMD's Zen 3 is
family 25 model 1, Zen 5 family 26), the extensions that decide oneDNN's kernels, the
ISA cap (ONEDNN_MAX_CPU_ISA) and the ISA oneDNN reports it uses. Every bench script records
cpu() with its results, and bench/README.md keeps one table per CPU kind. It also names what
the scripts that run the PyTorch peers share: their interpreters (PYTHONS), cifar's glibc
settings as environment variables for them (GLIBC), the allocators they run under (allocators():
those settings, and tcmalloc where installed) and fast's training images (FAST_TRAIN); and
record_by_cpu() keeps a results file with one entry per CPU kind."""
import json, os, re, subprocess

TORCH_213 = os.environ.get("CIFAR_TORCH213_PYTHON", "/opt/torch213/bin/python")
PYTHONS = {"torch 1.13 (Debian)": "/usr/bin/python3", "torch 2.13 (pip)": TORCH_213}
# the training images of `fast`'s throughput runs, as bench/train-throughput.py
# and bench/step-profile.py run it on both sides
FAST_TRAIN = 10000
# what cifar's NativeAllocator sets inside its JVM, as environment variables for a peer
GLIBC = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": "17179869184", "MALLOC_TOP_PAD_": "67108864"}

# tcmalloc, which PyTorch's CPU performance guides recommend preloading; Debian's
# libtcmalloc-minimal4. Under glibc, even with GLIBC, the peers' largest blocks (a 250 MB gradient
# of fast's first pool) keep coming from fresh memory, aligned allocations not fitting the holes
# that freed ones leave, and each step faults them in again; tcmalloc reuses them.
TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"

def allocators():
    """The allocator settings a peer runs under, by label: cifar's glibc settings, and tcmalloc
    preloaded where it is installed."""
    out = {"cifar's glibc settings": GLIBC}
    if os.path.exists(TCMALLOC):
        out["tcmalloc"] = {"LD_PRELOAD": TCMALLOC}
    return out

def _flags():
    model, flags, family, number = "unknown CPU", set(), None, None
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and model == "unknown CPU":
                model = value.strip()
            elif key == "flags" and not flags:
                flags = set(value.split())
            elif key == "cpu family" and family is None:
                family = value.strip()
            elif key == "model" and number is None:
                number = value.strip()
    except OSError:
        pass
    return model, flags, family, number

def onednn_isa(python):
    """The ISA line oneDNN prints for a convolution under `python` (a torch build), or None."""
    if not os.path.exists(python):
        return None
    code = "import torch; torch.nn.functional.conv2d(torch.ones(2, 8, 8, 8), torch.ones(8, 8, 3, 3))"
    env = dict(os.environ, ONEDNN_VERBOSE="1", DNNL_VERBOSE="1")
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env).stdout
    m = re.search(r"isa:([^,\n]+)", out)
    return m.group(1).strip() if m else None

def caches_hidden():
    """Whether Linux found no cache description: on AMD, CPUID leaf 0x8000001D hidden by the
    hypervisor, where libtorch 2.7.1's oneDNN reads every cache as 1 byte (OneDnnCaches)."""
    return not os.path.exists("/sys/devices/system/cpu/cpu0/cache/index0")

def cpu():
    model, flags, family, number = _flags()
    return {"caches_hidden": caches_hidden(), "model": model, "family": family, "model_number": number, "amx": "amx_bf16" in flags, "avx512_bf16": "avx512_bf16" in flags,
            "avx512": "avx512f" in flags, "avx2": "avx2" in flags,
            "onednn_isa_cap": os.environ.get("ONEDNN_MAX_CPU_ISA"),
            "onednn_isa": onednn_isa(TORCH_213) or onednn_isa("/usr/bin/python3")}

def kind(c=None):
    """A short name for the CPU kind: its model and its best bfloat16 or vector extension."""
    c = c or cpu()
    best = "AMX" if c["amx"] else "AVX-512 BF16" if c["avx512_bf16"] else "AVX-512" if c["avx512"] else "AVX2" if c["avx2"] else "no AVX2"
    cap = ", ONEDNN_MAX_CPU_ISA=%s" % c["onednn_isa_cap"] if c["onednn_isa_cap"] else ""
    family = "family %s model %s, " % (c["family"], c["model_number"]) if c.get("family") else ""
    return "%s (%s%s%s; oneDNN: %s)" % (c["model"], family, best, cap, c["onednn_isa"])

def record_by_cpu(name, entry, machine=None, merge=None):
    """Writes entry as this CPU kind's in bench/results/NAME, keeping the other kinds' entries;
    merge(earlier, entry), when given, combines it with this kind's earlier entry. A file written
    before CPUs were recorded becomes one entry, "unrecorded CPU (its date)"."""
    machine = machine or cpu()
    results = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    os.makedirs(results, exist_ok=True)
    path = os.path.join(results, name)
    try:
        kept = json.load(open(path))
        if "by_cpu" not in kept:
            kept = {"by_cpu": {"unrecorded CPU (%s)" % kept.get("date"): kept}}
    except (OSError, ValueError):
        kept = {"by_cpu": {}}
    earlier = kept["by_cpu"].get(kind(machine))
    kept["by_cpu"][kind(machine)] = merge(earlier, entry) if merge and earlier else entry
    with open(path, "w") as f:
        json.dump(kept, f, indent=1)

if __name__ == "__main__":
    print(kind())
