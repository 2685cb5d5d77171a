package dev.cifar.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The uploads against the packaged application. */
@QuarkusIntegrationTest
class UploadsIT extends UploadsTest {}
