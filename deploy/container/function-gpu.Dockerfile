# syntax=docker/dockerfile:1
# The function on an NVIDIA GPU: CUDA 12.8 runtime, Java 21, the Quarkus fast-jar and DJL's CUDA
# libtorch (PYTORCH_FLAVOR=cu128), fetched while the image is built so that the container starts
# offline. From the repository root, after `mvn install` (see deploy/README.md):
#   docker build -f deploy/container/function-gpu.Dockerfile -t cifar/cifar-function-gpu:0.1.0-SNAPSHOT .
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
ARG JDK_IMAGE=eclipse-temurin:21-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:21-jre-noble
ARG PYTORCH_VERSION=2.7.1
ARG PYTORCH_FLAVOR=cu128

FROM ${JDK_IMAGE} AS jdk
FROM ${JRE_IMAGE} AS jre

# DJL downloads libtorch of PYTORCH_FLAVOR into /opt/djl. Only DJL's own jars are on this class
# path: with pytorch-native-cpu there, DJL would take its bundled CPU libtorch and fetch nothing.
FROM ${CUDA_IMAGE} AS libtorch
ARG PYTORCH_FLAVOR
COPY --from=jdk /opt/java/openjdk /opt/java/openjdk
COPY function/target/quarkus-app/lib/main/ai.djl.api-*.jar \
     function/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-engine-*.jar \
     function/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-jni-*.jar \
     function/target/quarkus-app/lib/main/com.google.code.gson.gson-*.jar \
     function/target/quarkus-app/lib/main/net.java.dev.jna.jna-*.jar \
     function/target/quarkus-app/lib/main/org.slf4j.slf4j-api-*.jar \
     /fetch/lib/
COPY deploy/container/FetchLibtorch.java /fetch/
RUN DJL_CACHE_DIR=/opt/djl PYTORCH_FLAVOR=${PYTORCH_FLAVOR} DJL_OFFLINE=false OPT_OUT_TRACKING=true \
    /opt/java/openjdk/bin/java -cp '/fetch/lib/*' /fetch/FetchLibtorch.java

FROM ${CUDA_IMAGE}
ARG PYTORCH_VERSION
ARG PYTORCH_FLAVOR
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:${PATH} \
    DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/opt/djl \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_LIBRARY_PATH=/opt/djl/pytorch/${PYTORCH_VERSION}-${PYTORCH_FLAVOR}-linux-x86_64 \
    CIFAR_DEVICE=auto
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN useradd --uid 1001 --no-create-home --home-dir /deployments cifar
COPY --from=libtorch --chown=1001:0 /opt/djl /opt/djl
COPY --chown=1001:0 function/target/quarkus-app/ /deployments/
COPY deploy/container/healthcheck.sh deploy/container/warm-up.sh /opt/cifar/
USER 1001
WORKDIR /deployments
# No GPU while the image builds: the warm-up serves the packaged model once on the CPU.
# The warm-up also writes the class-data archive (AppCDS) of this JVM, read at every start.
RUN CIFAR_DEVICE=cpu MALLOC_ARENA_MAX=2 /opt/cifar/warm-up.sh java @/deployments/jvm.options \
    -XX:ArchiveClassesAtExit=/deployments/app-cds.jsa -jar /deployments/quarkus-run.jar
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s CMD ["/opt/cifar/healthcheck.sh", "/q/health/ready"]
# JVM settings: function/src/main/jvm/jvm.options (serial GC, heap of at most 512 MB, C1), and
# MALLOC_ARENA_MAX=2 (libtorch's native memory in two malloc arenas), as documented.
ENTRYPOINT ["env", "MALLOC_ARENA_MAX=2", "java", "@/deployments/jvm.options", "-XX:SharedArchiveFile=/deployments/app-cds.jsa", "-jar", "/deployments/quarkus-run.jar"]
