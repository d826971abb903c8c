package dev.spillway.gateway.provider.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.ProviderException;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FirstOutputSplitterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static ChatChunk role() {
    ObjectNode chunk = JSON.createObjectNode();
    chunk
        .putArray("choices")
        .addObject()
        .putObject("delta")
        .put("role", "assistant")
        .put("content", "");
    return ChatChunk.of(chunk, null);
  }

  private static ChatChunk content(String text) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.putArray("choices").addObject().putObject("delta").put("content", text);
    return ChatChunk.of(chunk, null);
  }

  @Test
  void headEndsAtTheFirstOutputAndTheRestFollows() {
    ChunkStream stream =
        FirstOutputSplitter.split(
                Multi.createFrom().items(role(), content("a"), content("b"), content("c")), "p")
            .await()
            .atMost(WAIT);
    assertEquals(2, stream.head().size());
    assertEquals("a", stream.head().get(1).text());
    List<String> rest = stream.rest().map(ChatChunk::text).collect().asList().await().atMost(WAIT);
    assertEquals(List.of("b", "c"), rest);
  }

  @Test
  void aStreamWithoutOutputFailsBeforeAnythingIsCommitted() {
    ProviderException failure =
        assertThrows(
            ProviderException.class,
            () ->
                FirstOutputSplitter.split(Multi.createFrom().items(role()), "p")
                    .await()
                    .atMost(WAIT));
    assertEquals(ProviderException.Kind.INVALID_RESPONSE, failure.kind());
  }

  @Test
  void aFailureBeforeOutputFailsTheHead() {
    var boom = new ProviderException(ProviderException.Kind.CONNECTION, "p", "reset");
    Multi<ChatChunk> chunks =
        Multi.createBy()
            .concatenating()
            .streams(Multi.createFrom().items(role()), Multi.createFrom().failure(boom));
    assertEquals(
        boom,
        assertThrows(
            ProviderException.class,
            () -> FirstOutputSplitter.split(chunks, "p").await().atMost(WAIT)));
  }

  @Test
  void aFailureAfterOutputReachesTheRest() {
    var cut = new ProviderException(ProviderException.Kind.STREAM_BROKEN, "p", "cut");
    Multi<ChatChunk> chunks =
        Multi.createBy()
            .concatenating()
            .streams(
                Multi.createFrom().items(content("a"), content("b")),
                Multi.createFrom().failure(cut));
    ChunkStream stream = FirstOutputSplitter.split(chunks, "p").await().atMost(WAIT);
    Throwable failure =
        assertThrows(Throwable.class, () -> stream.rest().collect().asList().await().atMost(WAIT));
    assertInstanceOf(ProviderException.class, failure);
  }

  @Test
  void requestsNoMoreThanTheDownstreamAsksForAndCancelsUpstream() {
    AtomicLong requested = new AtomicLong();
    AtomicBoolean cancelled = new AtomicBoolean();
    Multi<ChatChunk> chunks =
        Multi.createFrom()
            .range(0, 1000)
            .map(i -> content("t" + i))
            .onRequest()
            .invoke(requested::addAndGet)
            .onCancellation()
            .invoke(() -> cancelled.set(true));
    ChunkStream stream = FirstOutputSplitter.split(chunks, "p").await().atMost(WAIT);
    assertEquals(1, requested.get(), "only the head was requested");
    List<ChatChunk> two = stream.rest().select().first(2).collect().asList().await().atMost(WAIT);
    assertEquals(2, two.size());
    assertTrue(requested.get() < 10, "pulled " + requested.get() + " chunks for 3");
    assertTrue(cancelled.get(), "taking the first two cancels the upstream");
  }

  @Test
  void cancellingBeforeTheFirstOutputCancelsTheUpstream() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Multi<ChatChunk> stalled =
        Multi.createBy()
            .concatenating()
            .streams(Multi.createFrom().items(role()), Multi.createFrom().<ChatChunk>nothing())
            .onCancellation()
            .invoke(() -> cancelled.set(true));
    FirstOutputSplitter.split(stalled, "p").subscribe().with(ignored -> {}).cancel();
    assertTrue(cancelled.get(), "a client that gives up before the first token stops the upstream");
  }

  @Test
  void theRestCanBeSubscribedToOnlyOnce() {
    ChunkStream stream =
        FirstOutputSplitter.split(Multi.createFrom().items(content("a"), content("b")), "p")
            .await()
            .atMost(WAIT);
    assertEquals(1, stream.rest().collect().asList().await().atMost(WAIT).size());
    assertThrows(
        IllegalStateException.class, () -> stream.rest().collect().asList().await().atMost(WAIT));
  }
}
