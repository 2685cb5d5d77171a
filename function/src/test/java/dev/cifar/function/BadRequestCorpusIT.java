package dev.cifar.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The hostile-request corpus against the packaged application. */
@QuarkusIntegrationTest
class BadRequestCorpusIT extends BadRequestCorpusTest {}
