package dev.spillway.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.Permit;
import dev.spillway.gateway.resilience.aimd.AimdLimit;
import dev.spillway.gateway.routing.Target;
import dev.spillway.usage.Price;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How one attempt reports its outcome to the breaker, the concurrency limit and the provider
 * account: exactly once, with the right sample, and never against the provider when the client's
 * own constraints could not be met.
 */
class AttemptTest {

  private static final long MS = 1_000_000L;

  /** What the breaker, the limit and the account heard, in order. */
  private final List<String> heard = new ArrayList<>();

  private final CircuitBreakers.Ticket ticket =
      new CircuitBreakers.Ticket() {
        @Override
        public void success() {
          heard.add("breaker success");
        }

        @Override
        public void failure(Throwable cause) {
          heard.add("breaker failure");
        }

        @Override
        public void abandon() {
          heard.add("breaker abandon");
        }
      };

  private final Permit permit =
      new Permit() {
        @Override
        public void success(long rttNanos) {
          heard.add("limit success " + rttNanos / MS + " ms");
        }

        @Override
        public void dropped() {
          heard.add("limit dropped");
        }

        @Override
        public void ignore() {
          heard.add("limit ignore");
        }
      };

  private final UpstreamQuota.Permit account =
      new UpstreamQuota.Permit() {
        @Override
        public void ended() {
          heard.add("account ended");
        }

        @Override
        public void won() {
          heard.add("account won");
        }

        @Override
        public void settleWith(long tokens) {
          heard.add("account settled " + tokens);
        }
      };

  private static final ChatProvider PROVIDER =
      new ChatProvider() {
        @Override
        public String name() {
          return "p";
        }

        @Override
        public Uni<Completion> complete(UpstreamCall call) {
          throw new UnsupportedOperationException("not sent in this test");
        }

        @Override
        public Uni<ChunkStream> stream(UpstreamCall call) {
          throw new UnsupportedOperationException("not sent in this test");
        }
      };

  private Attempt attempt(long startNanos) {
    return new Attempt(
        new Target(PROVIDER, "m", new Price(BigDecimal.ONE, BigDecimal.ONE)),
        Attempt.Kind.FIRST,
        startNanos,
        new AttemptPermit(account, permit, ticket),
        new DispatchMetrics(new SimpleMeterRegistry(), true));
  }

  @Test
  void aLongStreamsSampleIsItsTimeToFirstOutputNotItsLength() {
    Attempt stream = attempt(0);
    stream.outputBegan(80 * MS);
    stream.outputBegan(500 * MS);
    // A 60-second generation read slowly by its client ends here.
    stream.succeeded(60_000 * MS);
    assertEquals(List.of("account won", "breaker success", "limit success 80 ms"), heard);
  }

  @Test
  void sixtySecondStreamsNeverShrinkTheLimit() {
    AimdLimit limit = new AimdLimit(AimdLimit.Config.DEFAULTS.withInitialLimit(20));
    Permit feeding =
        new Permit() {
          @Override
          public void success(long rttNanos) {
            limit.onSample(rttNanos, 20, false);
          }

          @Override
          public void dropped() {
            limit.onSample(0, 20, true);
          }

          @Override
          public void ignore() {}
        };
    for (int i = 0; i < 100; i++) {
      Attempt stream =
          new Attempt(
              new Target(PROVIDER, "m", new Price(BigDecimal.ONE, BigDecimal.ONE)),
              Attempt.Kind.FIRST,
              0,
              new AttemptPermit(account, feeding, ticket),
              new DispatchMetrics(new SimpleMeterRegistry(), true));
      stream.outputBegan(300 * MS);
      stream.succeeded(Duration.ofSeconds(60).toNanos());
    }
    assertTrue(limit.limit() >= 20, "limit " + limit.limit());
  }

  @Test
  void aCompletionWithoutAnnouncedOutputIsSampledAtItsEnd() {
    Attempt completion = attempt(10 * MS);
    completion.succeeded(130 * MS);
    assertEquals("limit success 120 ms", heard.get(2));
  }

  @Test
  void aFailureCausedByTheClientsConstraintIsNotHeldAgainstTheProvider() {
    attempt(0)
        .failed(
            ProviderException.underClientConstraint(
                "p", "response_format.json_schema.schema", "no answer matches the schema"));
    assertEquals(List.of("account ended", "breaker abandon", "limit ignore"), heard);
  }

  @Test
  void anInvalidAnswerIsHeldAgainstTheProviderButSaysNothingAboutLoad() {
    attempt(0)
        .failed(
            new ProviderException(
                ProviderException.Kind.INVALID_RESPONSE, "p", 200, null, "garbage"));
    assertEquals(List.of("account ended", "breaker failure", "limit ignore"), heard);
  }

  @Test
  void overloadSignalsShrinkTheLimit503And529Alike() {
    for (int status : new int[] {503, 529}) {
      heard.clear();
      attempt(0)
          .failed(
              new ProviderException(
                  ProviderException.kindOfStatus(status), "p", status, null, "busy"));
      assertEquals(
          List.of("account ended", "breaker failure", "limit dropped"), heard, "status " + status);
    }
  }

  @Test
  void anAttemptSettlesOnce() {
    Attempt once = attempt(0);
    once.succeeded(5 * MS);
    once.failed(new ProviderException(ProviderException.Kind.TIMEOUT, "p", "late"));
    once.abandoned();
    assertEquals(3, heard.size(), heard.toString());
    assertTrue(once.settled());
  }
}
