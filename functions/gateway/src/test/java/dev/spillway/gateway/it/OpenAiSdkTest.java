package dev.spillway.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, pointed at the gateway: what works against OpenAI works here. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class OpenAiSdkTest {

  @TestHTTPResource("/v1")
  URL gateway;

  private OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.toString())
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are terse.")
        .addUserMessage("Name a river.")
        .maxCompletionTokens(32);
  }

  @Test
  void nonStreaming() {
    for (String model : new String[] {"sim-openai", "sim-anthropic"}) {
      ChatCompletion completion =
          client(UpstreamSimulatorResource.ACME_KEY)
              .chat()
              .completions()
              .create(params(model).build());
      assertFalse(completion.choices().get(0).message().content().orElse("").isBlank(), model);
      assertTrue(completion.usage().orElseThrow().completionTokens() > 0, model);
    }
  }

  @Test
  void streaming() {
    StringBuilder text = new StringBuilder();
    long usageChunks = 0;
    try (StreamResponse<ChatCompletionChunk> stream =
        client(UpstreamSimulatorResource.ACME_KEY)
            .chat()
            .completions()
            .createStreaming(
                params("sim-anthropic")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
        if (chunk.usage().isPresent()) {
          usageChunks++;
        }
      }
    }
    assertFalse(text.toString().isBlank());
    assertEquals(1, usageChunks);
  }

  @Test
  void errorsMapToTheSdksExceptions() {
    assertThrows(
        UnauthorizedException.class,
        () -> client("sk-wrong").chat().completions().create(params("sim-openai").build()));
    NotFoundException notFound =
        assertThrows(
            NotFoundException.class,
            () ->
                client(UpstreamSimulatorResource.ACME_KEY)
                    .chat()
                    .completions()
                    .create(params("no-such-model").build()));
    assertTrue(notFound.getMessage().contains("does not exist"), notFound.getMessage());
  }
}
