package dev.spillway.embedding.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.embedding.onnx.TokenizedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The batcher with a stand-in model that returns each input's length as its vector. */
class DynamicBatcherTest {

  /** Keeps the largest number of requests seen sharing one batch, and the refusals. */
  private static final class Recorder implements BatchListener {
    volatile int maxRequests;
    final List<Integer> rejected = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void batch(int sequences, int requests, int realTokens, int paddedTokens, long nanos) {
      maxRequests = Math.max(maxRequests, requests);
    }

    @Override
    public void rejected(int inputs) {
      rejected.add(inputs);
    }
  }

  private static TokenizedText text(int length, int marker) {
    long[] ids = new long[length];
    ids[0] = marker;
    return new TokenizedText(ids, new long[length], new long[length], false);
  }

  /** A model that echoes [length, marker] and records each batch's lengths. */
  private static Function<List<TokenizedText>, float[][]> model(
      List<List<Integer>> seen, CountDownLatch gate) {
    return batch -> {
      try {
        gate.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      seen.add(batch.stream().map(TokenizedText::length).toList());
      float[][] out = new float[batch.size()][];
      for (int i = 0; i < batch.size(); i++) {
        out[i] = new float[] {batch.get(i).length(), batch.get(i).ids()[0]};
      }
      return out;
    };
  }

  @Test
  void concurrentRequestsShareABatchSortedByLengthAndAnswersKeepTheirOrder() throws Exception {
    List<List<Integer>> seen = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Function<List<TokenizedText>, float[][]> held = model(seen, gate);
    Recorder recorder = new Recorder();
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "test",
            batch -> {
              entered.countDown();
              return held.apply(batch);
            },
            new BatchingSettings(4096, 64, Duration.ofMillis(20), 100_000),
            recorder)) {
      // The first request occupies the model (held at the gate) while the others queue up.
      CompletableFuture<float[][]> first = accepted(batcher.submit(List.of(text(5, 1))));
      assertTrue(entered.await(5, TimeUnit.SECONDS), "the model took the first batch");
      List<CompletableFuture<float[][]>> others = new ArrayList<>();
      for (int r = 0; r < 8; r++) {
        others.add(accepted(batcher.submit(List.of(text(30 - r, 100 + r), text(3 + r, 200 + r)))));
      }
      gate.countDown();
      first.get(5, TimeUnit.SECONDS);
      for (int r = 0; r < 8; r++) {
        float[][] vectors = others.get(r).get(5, TimeUnit.SECONDS);
        assertEquals(30 - r, vectors[0][0]);
        assertEquals(100 + r, vectors[0][1]);
        assertEquals(3 + r, vectors[1][0]);
        assertEquals(200 + r, vectors[1][1]);
      }
      // The 8 queued requests (16 inputs) were collected in one window, sorted, and run in two
      // length bands: the 8 short inputs (3..10 tokens) together, the 8 long ones (23..30).
      assertEquals(
          List.of(
              List.of(5),
              List.of(3, 4, 5, 6, 7, 8, 9, 10),
              List.of(23, 24, 25, 26, 27, 28, 29, 30)),
          seen);
      assertEquals(8, recorder.maxRequests, "eight requests shared the batch");
    }
  }

  @Test
  void batchesRespectThePaddedTokenBudget() throws Exception {
    List<List<Integer>> seen = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch open = new CountDownLatch(0);
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "test",
            model(seen, open),
            new BatchingSettings(1000, 64, Duration.ZERO, 100_000),
            BatchListener.NONE)) {
      List<TokenizedText> inputs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        inputs.add(text(10 + 5 * i, i));
      }
      float[][] vectors = accepted(batcher.submit(inputs)).get(5, TimeUnit.SECONDS);
      for (int i = 0; i < 40; i++) {
        assertEquals(i, vectors[i][1], "input " + i + " answered in order");
      }
      for (List<Integer> batch : seen) {
        int longest = Collections.max(batch);
        assertTrue(batch.size() * longest <= 1000, "padded tokens within budget: " + batch);
      }
    }
  }

  @Test
  void aFullQueueRefusesAtOnceWithRetryAfter() throws Exception {
    List<List<Integer>> seen = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Function<List<TokenizedText>, float[][]> held = model(seen, gate);
    Recorder recorder = new Recorder();
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "test",
            batch -> {
              entered.countDown();
              return held.apply(batch);
            },
            new BatchingSettings(256, 8, Duration.ZERO, 300),
            recorder)) {
      CompletableFuture<float[][]> running = accepted(batcher.submit(List.of(text(10, 1))));
      // The first request has left the queue for the model (held at the gate), whatever the
      // machine's speed: only then is the queue's token count the second request's alone.
      assertTrue(entered.await(5, TimeUnit.SECONDS), "the model took the first batch");
      accepted(batcher.submit(List.of(text(200, 2))));
      // Refused synchronously, by the submit call itself: no waiting for room.
      Submission refused = batcher.submit(List.of(text(200, 3)));
      Submission.Rejected rejected = assertInstanceOf(Submission.Rejected.class, refused);
      assertTrue(rejected.retryAfter().toSeconds() >= 1);
      assertEquals(200, rejected.queuedTokens());
      assertEquals(List.of(1), recorder.rejected);
      gate.countDown();
      running.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anEmptyQueueAdmitsARequestLargerThanTheQueue() throws Exception {
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "test",
            model(Collections.synchronizedList(new ArrayList<>()), new CountDownLatch(0)),
            new BatchingSettings(256, 8, Duration.ZERO, 256),
            BatchListener.NONE)) {
      List<TokenizedText> inputs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        inputs.add(text(100, i));
      }
      assertEquals(10, accepted(batcher.submit(inputs)).get(5, TimeUnit.SECONDS).length);
    }
  }

  private static CompletableFuture<float[][]> accepted(Submission submission) {
    return assertInstanceOf(Submission.Accepted.class, submission).vectors();
  }
}
