#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, over what bench/device/prepare.sh made:
#   run.sh stash          keep this call's .device/part*/ pieces in /tmp/cifar-device
#   run.sh smoke          unpack the tools and check that DJL's CUDA JNI loads the machine's libtorch
#   run.sh train RUN...   reassemble CIFAR-10, then TrainOnDevice RUN... (JSON lines, also to $OUT)
# DJL 0.36's JNI is built for libtorch 2.7.1 (cu128); the machine's libtorch comes with its
# PyTorch. PYTORCH_LIBRARY_PATH points DJL at it, PYTORCH_VERSION/PYTORCH_FLAVOR pick the JNI.
set -uo pipefail
keep=/tmp/cifar-device
mkdir -p "$keep"
cp -f .device/part*/* "$keep/" 2>/dev/null
ls -la "$keep"
[ "${1:-}" = stash ] && exit 0
if [ ! -x "$keep/tools/jre/bin/java" ]; then
    xz -dc "$keep/tools.tar.xz" | tar -C "$keep" -xf - || exit 1
fi
torchlib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
cudart=$(dirname "$(find /usr/local/cuda*/lib64 "$(dirname "$torchlib")/../nvidia" -name 'libcudart.so*' 2>/dev/null | head -1)")
export PYTORCH_LIBRARY_PATH=$torchlib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 DJL_CACHE_DIR=$keep/djl
export LD_LIBRARY_PATH=$cudart:$torchlib:${LD_LIBRARY_PATH:-}
# DJL's JNI was built for libtorch 2.7.1: on another libtorch, rebind torchFromBlob (see from_blob_shim.cc)
if [ "$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')" != 2.7.1 ]; then
    shim=$keep/from_blob_shim.so
    if [ ! -f "$shim" ]; then
        inc=$torchlib/../include
        g++ -O2 -std=c++17 -shared -fPIC -D_GLIBCXX_USE_CXX11_ABI="$(python3 -c "import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))")" -I"$keep/tools/jni" -I"$keep/tools/jni/linux" \
            -I"$inc" bench/device/from_blob_shim.cc -L"$torchlib" -lc10 -ltorch_cpu -L"$cudart" -l:"$(ls "$cudart" | grep -m1 '^libcudart.so')" \
            -Wl,-rpath,"$torchlib":"$cudart" -o "$shim" || exit 1
    fi
    export CIFAR_FROM_BLOB_SHIM=$shim
fi
java() { "$keep/tools/jre/bin/java" -Xmx16g -cp "$keep/tools/classes:$keep/tools/lib/*" "$@"; }
if [ "${1:-}" = smoke ]; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())'
    echo "cudart: $cudart"
    jni=$(mktemp -d)
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("jnilib/linux-x86_64/cu128/libdjl_torch.so", sys.argv[2])' \
        "$(ls "$keep"/tools/lib/pytorch-jni-*.jar)" "$jni"
    so=$jni/jnilib/linux-x86_64/cu128/libdjl_torch.so
    if command -v nm >/dev/null && [ -f "$so" ]; then
        nm -D --defined-only "$torchlib"/*.so 2>/dev/null | awk '{print $NF}' | sort -u > /tmp/defined.txt
        nm -D --undefined-only "$so" | awk '{print $NF}' | grep -v '@' | sort -u > /tmp/needed.txt
        echo "JNI symbols missing from this libtorch: $(comm -23 /tmp/needed.txt /tmp/defined.txt | wc -l) of $(wc -l < /tmp/needed.txt)"
        comm -23 /tmp/needed.txt /tmp/defined.txt | grep -v -e '^cuda' -e '^_ITM' -e '^__' 
    fi
    java TrainOnDevice --smoke
    exit $?
fi
if [ "${1:-}" = train ]; then
    shift
    if [ ! -f "$keep/cifar/data_batch_5.bin" ]; then
        cat "$keep"/cifar.tar.xz.0 "$keep"/cifar.tar.xz.1 "$keep"/cifar.tar.xz.2 > /tmp/cifar.tar.xz
        echo "$(cat "$keep/cifar.sha256")  /tmp/cifar.tar.xz" | sha256sum -c - || exit 1
        xz -dc -T0 /tmp/cifar.tar.xz | tar -C "$keep" -xf - || exit 1
    fi
    java TrainOnDevice "$keep/cifar" "$@" 2> >(tee "${OUT:-/tmp}/stderr.log" >&2) | tee "${OUT:-/tmp}/runs.jsonl"
fi
