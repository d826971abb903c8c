package dev.spillway.gateway.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEvent;
import dev.spillway.events.EventTypes;
import dev.spillway.events.QuerySampledEvent;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.openai.ChatCompletionRequest;
import io.quarkus.logging.Log;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Samples admitted chat requests for drift scoring and emits each sample as {@code
 * dev.spillway.query.sampled}.
 *
 * <p>Each request is drawn independently with its tenant's and feature's rate ({@link
 * SampleRates}), so a sample is a uniform random subset of that traffic and needs no shared state:
 * thread-safe without a lock, provided the random source is (in production {@code
 * ThreadLocalRandom}). The event goes to a fire-and-forget sink (a bounded {@code
 * CloudEventSender}), so sampling never delays or fails a request; the query's text is never
 * logged.
 */
public final class QuerySampler {

  /**
   * The longest query text sent, in characters (8 KiB of ASCII). A search query or chat question is
   * far shorter; a pasted document is cut, and its opening still says what it is about. The
   * embedding models the drift function uses read only the first few hundred tokens anyway.
   */
  public static final int MAX_TEXT_CHARS = 8 * 1024;

  private static final QuerySampler OFF =
      new QuerySampler(SampleRates.none(), () -> 1, event -> {}, "", new ObjectMapper());

  private final SampleRates rates;
  private final DoubleSupplier random;
  private final Consumer<CloudEvent> sink;
  private final String source;
  private final ObjectMapper mapper;

  /**
   * @param random uniform draws in [0, 1); must be thread-safe (e.g. {@code
   *     ThreadLocalRandom.current().nextDouble()}), seeded in tests
   * @param sink takes an event and returns at once; it must not throw
   * @param source the CloudEvents {@code source} attribute
   */
  public QuerySampler(
      SampleRates rates,
      DoubleSupplier random,
      Consumer<CloudEvent> sink,
      String source,
      ObjectMapper mapper) {
    this.rates = rates;
    this.random = random;
    this.sink = sink;
    this.source = source;
    this.mapper = mapper;
  }

  /** A sampler that never samples. */
  public static QuerySampler off() {
    return OFF;
  }

  /**
   * Decides whether this request is sampled and, if it is, hands its event to the sink. Call it
   * once per request, when the gateway has admitted it.
   *
   * @param route the client-facing model name
   * @return true when an event was handed to the sink; false when the draw missed or the request
   *     has no user text
   */
  public boolean offer(
      String requestId, Caller caller, String route, ChatCompletionRequest request) {
    double rate = rates.rateFor(caller.tenant(), caller.feature());
    // A rate of 1 always samples: the draw is in [0, 1). A rate of 0 draws nothing.
    if (rate <= 0 || (rate < 1 && random.getAsDouble() >= rate)) {
      return false;
    }
    String text = QueryText.lastUserMessage(request.messages(), MAX_TEXT_CHARS);
    if (text == null) {
      return false;
    }
    QuerySampledEvent data =
        new QuerySampledEvent(requestId, caller.tenant(), caller.feature(), route, text, rate);
    sink.accept(
        CloudEvent.of(source, EventTypes.QUERY_SAMPLED, caller.tenant(), mapper.valueToTree(data)));
    Log.debugf("request %s sampled for drift scoring (rate %s)", requestId, rate);
    return true;
  }

  /** False when no tenant or feature is ever sampled. */
  public boolean enabled() {
    return rates.samplesAnything();
  }
}
