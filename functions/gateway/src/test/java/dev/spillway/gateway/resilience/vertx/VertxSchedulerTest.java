package dev.spillway.gateway.resilience.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VertxSchedulerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void delaysRoundUpToWholeMillisecondsOfAtLeastOne() {
    assertEquals(1, VertxScheduler.delayMillis(Duration.ZERO));
    assertEquals(1, VertxScheduler.delayMillis(Duration.ofNanos(1)));
    assertEquals(1, VertxScheduler.delayMillis(Duration.ofMillis(-5)));
    assertEquals(1, VertxScheduler.delayMillis(Duration.ofMillis(1)));
    assertEquals(2, VertxScheduler.delayMillis(Duration.ofNanos(1_000_001)));
    assertEquals(1_500, VertxScheduler.delayMillis(Duration.ofMillis(1_500)));
  }

  @Test
  void aTaskScheduledFromAContextRunsOnThatContext() throws Exception {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Context> ranOn = new CompletableFuture<>();

    context.runOnContext(
        ignored ->
            scheduler.schedule(Duration.ofNanos(10), () -> ranOn.complete(Vertx.currentContext())));

    assertSame(context, ranOn.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aCancelledTaskDoesNotRun() throws Exception {
    VertxScheduler scheduler = new VertxScheduler(vertx);
    Context context = vertx.getOrCreateContext();
    AtomicBoolean cancelledRan = new AtomicBoolean();
    CompletableFuture<Void> later = new CompletableFuture<>();

    context.runOnContext(
        ignored -> {
          scheduler.schedule(Duration.ofMillis(5), () -> cancelledRan.set(true)).cancel();
          // Same event loop, later deadline: once this has run, the cancelled one would have.
          scheduler.schedule(Duration.ofMillis(20), () -> later.complete(null));
        });

    later.get(10, TimeUnit.SECONDS);
    assertFalse(cancelledRan.get());
  }
}
