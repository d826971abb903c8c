package dev.spillway.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.routing.RouteRules;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rest of a stream after its first output, driven chunk by chunk: what the client sees, when,
 * and what each attempt's breaker hears, on a clock only the test moves.
 */
class ResilientStreamTest extends DispatchHarness {

  private final Scripted a = new Scripted("a");
  private final Scripted b = new Scripted("b");

  /** The rest of the first target's stream, as the test pushes it. */
  private UnicastProcessor<ChatChunk> firstRest;

  @Test
  void theChunkThatEndsTheAnswerWaitsUntilTheUpstreamHasEndedProperly() {
    StreamDispatch dispatch = begun(streamRules(false), a, b);
    AssertSubscriber<ChatChunk> client = read(dispatch);
    UnicastProcessor<ChatChunk> rest = firstRest;

    rest.onNext(chunk("a", "lo"));
    rest.onNext(chunk("a", null));
    assertEquals(List.of("lo"), texts(client), "the finish is held back");
    assertEquals(List.of(), breakers.heard, "no verdict before the end");

    rest.onComplete();
    client.assertCompleted();
    assertEquals("stop", client.getItems().get(1).finishReason());
    assertEquals(List.of("a/m success"), breakers.heard);
    assertEquals(0, inFlight("a"));
  }

  @Test
  void aStreamSilentForTheStallTimeoutFailsAndIsHeldAgainstItsTarget() {
    StreamDispatch dispatch = begun(streamRules(false), a, b);
    AssertSubscriber<ChatChunk> client = read(dispatch);
    firstRest.onNext(chunk("a", "lo"));

    scheduler.advance(Duration.ofMillis(1_999));
    assertFalse(client.hasCompleted() || client.getFailure() != null, "not stalled yet");
    scheduler.advance(Duration.ofMillis(1));

    ProviderException failure = assertInstanceOf(ProviderException.class, client.getFailure());
    assertEquals(ProviderException.Kind.TIMEOUT, failure.kind());
    assertEquals(List.of("a/m failure"), breakers.heard);
    assertEquals(0, b.streamed.size(), "without mid-stream recovery nothing else is tried");
  }

  @Test
  void aSlowClientIsNeverTakenForAStalledProvider() {
    StreamDispatch dispatch = begun(streamRules(false), a, b);
    AssertSubscriber<ChatChunk> client = AssertSubscriber.create(1);
    dispatch.rest().subscribe().withSubscriber(client);
    UnicastProcessor<ChatChunk> rest = firstRest;
    rest.onNext(chunk("a", "lo"));

    // The client asked for one chunk and got it; it reads nothing for 20 s, ten stall timeouts.
    scheduler.advance(Duration.ofSeconds(20));
    assertEquals(List.of(), breakers.heard);

    client.request(Long.MAX_VALUE);
    rest.onNext(chunk("a", null));
    rest.onComplete();
    client.assertCompleted();
    assertEquals(List.of("a/m success"), breakers.heard);
  }

  @Test
  void aStreamBrokenAfterOutputContinuesOnTheNextTargetUnderTheOriginalId() {
    StreamDispatch dispatch = begun(streamRules(true), a, b);
    AssertSubscriber<ChatChunk> client = read(dispatch);
    UnicastProcessor<ChatChunk> first = firstRest;
    first.onNext(chunk("a", "lo"));

    first.onError(
        new ProviderException(ProviderException.Kind.STREAM_BROKEN, "a", "connection reset"));
    assertEquals(1, b.streamed.size(), "the continuation goes to the next target");
    assertTrue(
        b.streamed.get(0).request().messages().toString().contains("Hello"),
        "the continuation carries the answer so far");
    UnicastProcessor<ChatChunk> second = b.begin(0, chunk("b", " world"));
    second.onNext(chunk("b", null));
    second.onComplete();

    client.assertCompleted();
    assertEquals(List.of("lo", " world", ""), texts(client));
    ChatChunk last = client.getItems().get(2);
    assertEquals("a", last.json().path("id").asText(), "spliced under the original stream's id");
    assertTrue(last.json().path(ResilientStream.RECOVERED_FIELD).asBoolean());
    assertEquals(List.of("a/m failure", "b/m success"), breakers.heard);
    assertEquals(0, inFlight("a") + inFlight("b"));
  }

  @Test
  void aClientThatLeavesMidStreamBlamesNoTargetAndFreesItsSlot() {
    StreamDispatch dispatch = begun(streamRules(true), a, b);
    AssertSubscriber<ChatChunk> client = read(dispatch);
    firstRest.onNext(chunk("a", "lo"));

    client.cancel();

    assertEquals(List.of("a/m abandon"), breakers.heard);
    assertEquals(0, inFlight("a"));
    assertEquals(0, b.streamed.size());
  }

  /** A stream on {@code targets} whose first target has begun with "Hel". */
  private StreamDispatch begun(RouteRules rules, Scripted... targets) {
    var answer = stream(request(rules, targets));
    firstRest = targets[0].begin(0, chunk("a", "Hel"));
    return answer.assertCompleted().getItem();
  }

  private static AssertSubscriber<ChatChunk> read(StreamDispatch dispatch) {
    return dispatch.rest().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
  }

  private static List<String> texts(AssertSubscriber<ChatChunk> client) {
    return client.getItems().stream().map(ChatChunk::text).toList();
  }
}
