package dev.cifar.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The OpenAPI document against the packaged application. */
@QuarkusIntegrationTest
class OpenApiDocumentIT extends OpenApiDocumentTest {}
