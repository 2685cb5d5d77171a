# syntax=docker/dockerfile:1
# The function on CPUs in JVM mode: Java 21, the Quarkus fast-jar, and libtorch from the
# pytorch-native-cpu jar, unpacked into DJL_CACHE_DIR while the image is built (the warm-up), so
# that the first request pays no unpacking. From the repository root, after `mvn install`:
#   docker build -f deploy/container/function-cpu.Dockerfile -t cifar/cifar-function-cpu:0.1.0-SNAPSHOT .
ARG JRE_IMAGE=eclipse-temurin:21-jre-noble

FROM ${JRE_IMAGE}
ENV DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/opt/djl \
    CIFAR_DEVICE=cpu
RUN useradd --uid 1001 --no-create-home --home-dir /deployments cifar \
 && mkdir -p /opt/djl && chown 1001:0 /opt/djl
COPY --chown=1001:0 function/target/quarkus-app/ /deployments/
COPY deploy/container/healthcheck.sh deploy/container/warm-up.sh /opt/cifar/
USER 1001
WORKDIR /deployments
# The warm-up also writes the class-data archive (AppCDS) of this JVM, read at every start.
RUN MALLOC_ARENA_MAX=2 /opt/cifar/warm-up.sh java @/deployments/jvm.options -XX:ArchiveClassesAtExit=/deployments/app-cds.jsa \
    -jar /deployments/quarkus-run.jar
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s CMD ["/opt/cifar/healthcheck.sh", "/q/health/ready"]
# JVM settings: function/src/main/jvm/jvm.options (serial GC, heap of at most 512 MB, C1), and
# MALLOC_ARENA_MAX=2 (libtorch's native memory in two malloc arenas), as documented.
ENTRYPOINT ["env", "MALLOC_ARENA_MAX=2", "java", "@/deployments/jvm.options", "-XX:SharedArchiveFile=/deployments/app-cds.jsa", "-jar", "/deployments/quarkus-run.jar"]
