package dev.spillway.quota.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link PassThroughEventsTest} against the packaged quota function (native with {@code -Pnative}):
 * what Lambda runs behind the Web Adapter.
 */
@QuarkusIntegrationTest
class PassThroughEventsIT extends PassThroughEventsTest {}
