# syntax=docker/dockerfile:1
# Training on an NVIDIA GPU: `mvn cifar:train` in a CUDA 12.8 image, with DJL's CUDA libtorch
# (PYTORCH_FLAVOR=cu128) and every Maven artifact fetched while the image is built, so that a
# run needs no network when the data is there. The data (/data) and the output (/output) are
# volumes. From the repository root (the image builds the plugin from these sources):
#   docker build -f deploy/container/training-gpu.Dockerfile -t cifar/cifar-training-gpu:0.1.0-SNAPSHOT .
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-21
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128

# The plugin and everything it needs, in a repository of its own (/opt/m2).
FROM ${MAVEN_IMAGE} AS plugin
WORKDIR /src
COPY pom.xml /src/
COPY training-core/pom.xml /src/training-core/
COPY training-core/src/ /src/training-core/src/
COPY maven-plugin/pom.xml /src/maven-plugin/
COPY maven-plugin/src/main/ /src/maven-plugin/src/main/
COPY function/pom.xml /src/function/
COPY deploy/pom.xml /src/deploy/
COPY deploy/container/training/pom.xml /opt/cifar/pom.xml
RUN mvn -B -q -Dmaven.repo.local=/opt/m2 -pl maven-plugin -am install -DskipTests -Dinvoker.skip=true \
 && mvn -B -q -Dmaven.repo.local=/opt/m2 -f /opt/cifar/pom.xml cifar:help

# DJL downloads libtorch of PYTORCH_FLAVOR into /opt/djl, from a class path without
# pytorch-native-cpu (with it, DJL would take its bundled CPU libtorch and fetch nothing).
FROM ${CUDA_IMAGE} AS libtorch
ARG PYTORCH_FLAVOR
COPY --from=plugin /opt/java/openjdk /opt/java/openjdk
COPY --from=plugin /opt/m2/ai/djl/ /fetch/repo/ai/djl/
COPY --from=plugin /opt/m2/com/google/code/gson/ /fetch/repo/gson/
COPY --from=plugin /opt/m2/net/java/dev/jna/ /fetch/repo/jna/
COPY --from=plugin /opt/m2/org/slf4j/slf4j-api/ /fetch/repo/slf4j-api/
COPY deploy/container/FetchLibtorch.java /fetch/
RUN cp=$(find /fetch/repo -name '*.jar' ! -name 'pytorch-native-cpu*' | tr '\n' ':') \
 && DJL_CACHE_DIR=/opt/djl PYTORCH_FLAVOR=${PYTORCH_FLAVOR} DJL_OFFLINE=false OPT_OUT_TRACKING=true \
    /opt/java/openjdk/bin/java -cp "$cp" /fetch/FetchLibtorch.java

FROM ${CUDA_IMAGE}
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/maven/bin:/opt/java/openjdk/bin:${PATH} \
    DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/opt/djl \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_LIBRARY_PATH=/opt/djl/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-linux-x86_64 \
    CIFAR10_CACHE=/data
COPY --from=plugin /opt/java/openjdk /opt/java/openjdk
COPY --from=plugin /usr/share/maven /opt/maven
RUN useradd --uid 1001 --no-create-home --home-dir /opt/cifar cifar && mkdir -p /data /output \
 && chown 1001:0 /data /output
COPY --from=plugin --chown=1001:0 /opt/m2 /opt/m2
COPY --from=plugin --chown=1001:0 /opt/cifar /opt/cifar
COPY --from=libtorch --chown=1001:0 /opt/djl /opt/djl
USER 1001
WORKDIR /opt/cifar
VOLUME ["/data", "/output"]
ENTRYPOINT ["mvn", "-B", "-o", "-Dmaven.repo.local=/opt/m2", "cifar:train", "-Dcifar.report=/output/report.html", "-Dcifar.checkpoints=/output/checkpoints", "-Dcifar.resume=true"]
CMD ["-Dcifar.output=/output/cifar10-seed.zip"]
