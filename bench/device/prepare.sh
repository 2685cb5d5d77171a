#!/usr/bin/env bash
# Prepares .device/ (git-ignored) for bench/device/run.sh on a machine with a GPU and no Maven,
# JDK or network, where each transfer carries at most 64 MiB: part1/ holds tools.tar.xz (a
# jlink'ed Java runtime, training-core with its runtime jars but without the CPU libtorch, so
# that the machine's own CUDA libtorch is used, and the compiled TrainOnDevice driver) and the
# first piece of cifar.tar.xz (the CIFAR-10 binary files); part2/ and part3/ the other pieces.
# Usage: bench/device/prepare.sh [DATA_DIR]   (after mvn install; DATA_DIR: ../shared/cifar10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/../shared/cifar10}
[ -d "$data/cifar-10-batches-bin" ] && data=$data/cifar-10-batches-bin
out=$root/.device
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out" && mkdir -p "$out"/part1 "$out"/part2 "$out"/part3 "$work"/tools/lib "$work"/tools/classes "$work"/cifar
(cd "$root/training-core" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$work/classpath.txt" >/dev/null)
tr ':' '\n' < "$work/classpath.txt" | grep -v -e pytorch-native-cpu -e /test -e junit -e assertj -e byte-buddy \
    -e opentest4j -e apiguardian -e jspecify | xargs -I{} cp {} "$work/tools/lib/"
cp "$root"/training-core/target/cifar-training-core-*-SNAPSHOT.jar "$work/tools/lib/"
rm -f "$work"/tools/lib/*-tests.jar
javac -d "$work/tools/classes" -cp "$work/tools/lib/*" "$root/bench/device/TrainOnDevice.java"
jlink --add-modules java.base,java.logging,jdk.unsupported,java.sql,java.management \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$work/tools/jre"
mkdir -p "$work/tools/jni/linux"
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
cp "$jdk/include/jni.h" "$work/tools/jni/" && cp "$jdk/include/linux/jni_md.h" "$work/tools/jni/linux/"
tar -C "$work" -cf - tools | xz -6 -T2 > "$out/part1/tools.tar.xz"
cp "$data"/data_batch_[1-5].bin "$data"/test_batch.bin "$data"/batches.meta.txt "$work/cifar/"
tar -C "$work" -cf - cifar | xz -6 -T2 > "$work/cifar.tar.xz"
# part1 also carries the tools; the three parts end up about the same size
tools=$(stat -c %s "$out/part1/tools.tar.xz")
total=$(stat -c %s "$work/cifar.tar.xz")
first=$(( (total + tools) / 3 - tools ))
head -c "$first" "$work/cifar.tar.xz" > "$out/part1/cifar.tar.xz.0"
tail -c +"$((first + 1))" "$work/cifar.tar.xz" | split -b $(( (total - first + 1) / 2 + 1 )) -d -a 1 - "$work/piece."
mv "$work/piece.0" "$out/part2/cifar.tar.xz.1"
mv "$work/piece.1" "$out/part3/cifar.tar.xz.2"
sha256sum "$work/cifar.tar.xz" | cut -d' ' -f1 > "$out/part3/cifar.sha256"
du -sh "$out"/part*
