package dev.spillway.gateway.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link ChatCompletionsTest} against the packaged gateway: the native executable with {@code
 * -Pnative} (which needs the reflection and resource configuration to be right), the JVM jar with
 * {@code -DskipITs=false}.
 */
@QuarkusIntegrationTest
class ChatCompletionsIT extends ChatCompletionsTest {}
