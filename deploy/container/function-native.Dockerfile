# syntax=docker/dockerfile:1
# The function as a native executable. Stage 1 runs native-image (Mandrel) on the sources the
# build prepares; stage 2 is a minimal UBI image with the executable and, beside it, the CPU
# libtorch and DJL's JNI library from the jars the build resolved. From the repository root:
#   mvn -pl function -am package -Dnative -Dquarkus.native.sources-only=true -DskipTests
#   docker build -f deploy/container/function-native.Dockerfile -t cifar/cifar-function-native:0.1.0-SNAPSHOT .
ARG BUILDER_IMAGE=quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25
ARG RUNTIME_IMAGE=registry.access.redhat.com/ubi9/ubi-minimal:9.6
ARG PYTORCH_VERSION=2.7.1
ARG DJL_VERSION=0.36.0

FROM ${BUILDER_IMAGE} AS build
ARG PYTORCH_VERSION
ARG DJL_VERSION
USER root
WORKDIR /project
COPY function/target/native-sources/ /project/
RUN native-image $(cat native-image.args) -J-Xmx8g && mv /project/*-runner /project/application
# libtorch and the JNI library where DJL looks for them (PYTORCH_LIBRARY_PATH below).
RUN lib=/opt/djl/pytorch/${PYTORCH_VERSION}-cpu-linux-x86_64 && mkdir -p "$lib" /tmp/x && cd /tmp/x \
 && jar xf /project/lib/ai.djl.pytorch.pytorch-native-cpu-*.jar \
 && jar xf /project/lib/ai.djl.pytorch.pytorch-jni-*.jar \
 && mv pytorch/cpu/linux-x86_64/* "$lib"/ \
 && mv jnilib/linux-x86_64/cpu/libdjl_torch.so "$lib/${DJL_VERSION}-libdjl_torch.so"

FROM ${RUNTIME_IMAGE}
ARG PYTORCH_VERSION
# libtorch needs the C++ runtime; AWT's image decoding needs freetype and fontconfig.
RUN microdnf install -y libstdc++ freetype fontconfig && microdnf clean all
ENV DJL_OFFLINE=true \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/opt/djl \
    PYTORCH_FLAVOR=cpu \
    PYTORCH_VERSION=${PYTORCH_VERSION} \
    PYTORCH_LIBRARY_PATH=/opt/djl/pytorch/${PYTORCH_VERSION}-cpu-linux-x86_64 \
    CIFAR_DEVICE=cpu
COPY --from=build --chown=1001:0 /opt/djl /opt/djl
COPY --from=build --chown=1001:0 /project/application /app/application
COPY deploy/container/healthcheck.sh deploy/container/warm-up.sh /opt/cifar/
USER 1001
WORKDIR /app
RUN /opt/cifar/warm-up.sh /app/application
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s CMD ["/opt/cifar/healthcheck.sh", "/q/health/ready"]
ENTRYPOINT ["/app/application"]
