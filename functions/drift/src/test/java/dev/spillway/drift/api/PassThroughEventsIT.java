package dev.spillway.drift.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link PassThroughEventsTest} against the packaged drift function (native with {@code -Pnative}):
 * what Lambda runs behind the Web Adapter.
 */
@QuarkusIntegrationTest
class PassThroughEventsIT extends PassThroughEventsTest {}
