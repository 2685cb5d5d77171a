package dev.cifar.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The Open Inference Protocol routes against the packaged application. */
@QuarkusIntegrationTest
class OpenInferenceIT extends OpenInferenceTest {}
