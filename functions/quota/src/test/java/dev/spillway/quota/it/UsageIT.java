package dev.spillway.quota.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UsageTest} against the packaged quota function (native with {@code -Pnative}). */
@QuarkusIntegrationTest
class UsageIT extends UsageTest {}
