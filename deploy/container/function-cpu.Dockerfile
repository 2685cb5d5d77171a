# syntax=docker/dockerfile:1
# The function on CPUs in JVM mode: Java 25, the Quarkus fast-jar, serving the artifact's ONNX
# model with ONNX Runtime (CIFAR_ENGINE=auto; pytorch serves the DJL network instead, libtorch from
# the pytorch-native-cpu jar, unpacked into DJL_CACHE_DIR while the image is built). The warm-up
# starts the function once and writes this JVM's AOT cache (JEP 514), read at every start.
# From the repository root, after `mvn install`:
#   docker build -f deploy/container/function-cpu.Dockerfile -t cifar/cifar-function-cpu:0.1.0-SNAPSHOT .
ARG JRE_IMAGE=eclipse-temurin:25-jre-noble

FROM ${JRE_IMAGE}
ENV DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/opt/djl \
    CIFAR_DEVICE=cpu \
    CIFAR_ENGINE=auto
RUN useradd --uid 1001 --no-create-home --home-dir /deployments cifar \
 && mkdir -p /opt/djl && chown 1001:0 /opt/djl
COPY --chown=1001:0 function/target/quarkus-app/ /deployments/
COPY deploy/container/healthcheck.sh deploy/container/warm-up.sh /opt/cifar/
USER 1001
WORKDIR /deployments
# The warm-up also writes the AOT cache of this JVM (classes loaded and linked, method profiles).
RUN MALLOC_ARENA_MAX=2 /opt/cifar/warm-up.sh java @/deployments/jvm.options -XX:AOTCacheOutput=/deployments/app.aot \
    -jar /deployments/quarkus-run.jar
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s CMD ["/opt/cifar/healthcheck.sh", "/q/health/ready"]
# JVM settings: function/src/main/jvm/jvm.options (serial GC, heap of at most 512 MB, C1), and
# MALLOC_ARENA_MAX=2 (libtorch's native memory in two malloc arenas), as documented.
ENTRYPOINT ["env", "MALLOC_ARENA_MAX=2", "java", "@/deployments/jvm.options", "-XX:AOTCache=/deployments/app.aot", "-jar", "/deployments/quarkus-run.jar"]
