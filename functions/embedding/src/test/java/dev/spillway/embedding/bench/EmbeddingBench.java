package dev.spillway.embedding.bench;

import dev.spillway.datasets.mmlu.MmluDataset;
import dev.spillway.embedding.batching.BatchListener;
import dev.spillway.embedding.batching.BatchingSettings;
import dev.spillway.embedding.batching.DynamicBatcher;
import dev.spillway.embedding.batching.Submission;
import dev.spillway.embedding.model.ModelRegistry;
import dev.spillway.embedding.model.ModelSpec;
import dev.spillway.embedding.onnx.Device;
import dev.spillway.embedding.onnx.EmbeddingModel;
import dev.spillway.embedding.onnx.SessionSettings;
import dev.spillway.embedding.onnx.TokenizedText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedding benchmark's in-process part (issue 5), side by side in one run for each model:
 *
 * <ol>
 *   <li><b>naive</b>: ONNX Runtime's default session options, fixed batches of 32 in input order,
 *       each padded to its longest input (tokenisation included);
 *   <li><b>ablation</b>: the function's session settings with the naive batching, to separate the
 *       two effects;
 *   <li><b>dynamic, 32 callers</b>: the function's session settings and {@link DynamicBatcher} with
 *       its default settings; 32 threads each submit one prompt at a time (tokenising it
 *       themselves, as the HTTP path does), so batches form from concurrent requests;
 *   <li><b>dynamic, one request</b>: the same, all prompts in one request (a bulk client);
 *   <li><b>idle latency</b>: one short sentence (≤ 32 tokens) at a time through the batcher.
 * </ol>
 *
 * Usage: {@code EmbeddingBench <models-dir> <mmlu-dir> [prompts=2048]
 * [models=all-minilm-l6-v2-q,all-minilm-l6-v2]}. Prints one Markdown row per run.
 */
public final class EmbeddingBench {

  private static final SessionSettings FUNCTION_DEFAULTS =
      new SessionSettings(0, 1, false, false, true, false, true);

  /** The function's defaults; {@code -Dbench.max-batch-tokens} overrides the budget for tuning. */
  private static final BatchingSettings BATCHING_DEFAULTS =
      new BatchingSettings(
          Integer.getInteger("bench.max-batch-tokens", 1024), 128, Duration.ofMillis(2), 65_536);

  private EmbeddingBench() {}

  public static void main(String[] args) throws Exception {
    Path modelsDir = Path.of(args[0]);
    Path mmlu = Path.of(args[1]);
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
    List<String> modelIds =
        Arrays.asList(
            (args.length > 3 ? args[3] : "all-minilm-l6-v2-q,all-minilm-l6-v2").split(","));
    List<MmluDataset.Prompt> all = new ArrayList<>(MmluDataset.load(mmlu));
    Collections.shuffle(all, new Random(42));
    List<String> prompts = all.subList(0, count).stream().map(MmluDataset.Prompt::text).toList();
    ModelRegistry registry = ModelRegistry.load(modelsDir);
    System.out.println(
        "| model | run | sequences/s | real tokens/s | padding share | vs naive | p50 ms | p99 ms |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (String id : modelIds) {
      ModelSpec spec = registry.model(id).orElseThrow();
      Run naive;
      try (EmbeddingModel model = EmbeddingModel.load(spec, null, Device.CPU)) {
        naive = naive(model, prompts);
      }
      print(id, "naive: default session, fixed 32 in input order", naive, naive);
      try (EmbeddingModel model = EmbeddingModel.load(spec, FUNCTION_DEFAULTS, Device.CPU)) {
        // Ablation: the function's session settings without dynamic batching, to separate the
        // two effects.
        print(
            id,
            "function's session settings, fixed 32 in input order",
            naive(model, prompts),
            naive);
        Run callers = concurrent(model, prompts, 32);
        print(id, "dynamic batching, 32 concurrent callers x 1 prompt", callers, naive);
        Run bulk = bulk(model, prompts);
        print(id, "dynamic batching, one request of " + count, bulk, naive);
        Run idle = idle(model, 200);
        print(
            id,
            "idle latency, one sentence (" + idle.tokens / idle.sequences + " tokens)",
            idle,
            null);
      }
    }
  }

  /** What one run measured. */
  record Run(
      long sequences, long tokens, long paddedTokens, double seconds, long[] latenciesNanos) {}

  private static void print(String model, String name, Run run, Run naive) {
    String ratio =
        naive == null
            ? "—"
            : String.format(
                Locale.ROOT, "%.2f×", (run.tokens / run.seconds) / (naive.tokens / naive.seconds));
    String padding =
        run.paddedTokens == 0
            ? "—"
            : String.format(
                Locale.ROOT, "%.1f %%", 100.0 * (run.paddedTokens - run.tokens) / run.paddedTokens);
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %.1f | %.0f | %s | %s | %s | %s |%n",
        model,
        name,
        run.sequences / run.seconds,
        run.tokens / run.seconds,
        padding,
        ratio,
        percentile(run.latenciesNanos, 0.50),
        percentile(run.latenciesNanos, 0.99));
  }

  private static String percentile(long[] nanos, double q) {
    if (nanos == null || nanos.length == 0) {
      return "—";
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return String.format(Locale.ROOT, "%.2f", sorted[Math.max(0, index)] / 1e6);
  }

  /** Fixed batches of 32 in input order, each padded to its longest input. */
  static Run naive(EmbeddingModel model, List<String> prompts) {
    model.embed(prompts.subList(0, 32).stream().map(model::tokenize).toList());
    long tokens = 0;
    long padded = 0;
    long started = System.nanoTime();
    for (int start = 0; start < prompts.size(); start += 32) {
      List<TokenizedText> batch =
          prompts.subList(start, Math.min(start + 32, prompts.size())).stream()
              .map(model::tokenize)
              .toList();
      int longest = 0;
      for (TokenizedText t : batch) {
        tokens += t.length();
        longest = Math.max(longest, t.length());
      }
      padded += (long) longest * batch.size();
      model.embed(batch);
    }
    return new Run(prompts.size(), tokens, padded, (System.nanoTime() - started) / 1e9, null);
  }

  /** {@code callers} threads, each submitting one prompt at a time until all are done. */
  static Run concurrent(EmbeddingModel model, List<String> prompts, int callers) throws Exception {
    AtomicLong padded = new AtomicLong();
    AtomicLong realTokens = new AtomicLong();
    BatchListener listener =
        new BatchListener() {
          @Override
          public void batch(
              int sequences, int requests, int realTokens1, int paddedTokens, long nanos) {
            padded.addAndGet(paddedTokens);
            realTokens.addAndGet(realTokens1);
          }

          @Override
          public void rejected(int inputs) {}
        };
    try (DynamicBatcher batcher =
        new DynamicBatcher("bench", model::embed, BATCHING_DEFAULTS, listener)) {
      runCallers(model, batcher, prompts.subList(0, 256), callers); // warm-up
      padded.set(0);
      realTokens.set(0);
      long started = System.nanoTime();
      long[] latencies = runCallers(model, batcher, prompts, callers);
      double seconds = (System.nanoTime() - started) / 1e9;
      return new Run(prompts.size(), realTokens.get(), padded.get(), seconds, latencies);
    }
  }

  private static long[] runCallers(
      EmbeddingModel model, DynamicBatcher batcher, List<String> prompts, int callers)
      throws Exception {
    long[] latencies = new long[prompts.size()];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        done.add(
            pool.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < prompts.size()) {
                    long t0 = System.nanoTime();
                    Submission s = batcher.submit(List.of(model.tokenize(prompts.get(i))));
                    ((Submission.Accepted) s).vectors().join();
                    latencies[i] = System.nanoTime() - t0;
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return latencies;
  }

  /** All prompts in one request. */
  static Run bulk(EmbeddingModel model, List<String> prompts) throws Exception {
    AtomicLong padded = new AtomicLong();
    AtomicLong realTokens = new AtomicLong();
    BatchListener listener =
        new BatchListener() {
          @Override
          public void batch(
              int sequences, int requests, int realTokens1, int paddedTokens, long nanos) {
            padded.addAndGet(paddedTokens);
            realTokens.addAndGet(realTokens1);
          }

          @Override
          public void rejected(int inputs) {}
        };
    try (DynamicBatcher batcher =
        new DynamicBatcher("bench", model::embed, BATCHING_DEFAULTS, listener)) {
      long started = System.nanoTime();
      List<TokenizedText> tokens = prompts.stream().map(model::tokenize).toList();
      ((Submission.Accepted) batcher.submit(tokens)).vectors().join();
      double seconds = (System.nanoTime() - started) / 1e9;
      return new Run(prompts.size(), realTokens.get(), padded.get(), seconds, null);
    }
  }

  /** One short sentence at a time through the batcher, after a warm-up. */
  static Run idle(EmbeddingModel model, int requests) throws Exception {
    String sentence = "How do I reset my password if I no longer have access to my email?";
    try (DynamicBatcher batcher =
        new DynamicBatcher("bench", model::embed, BATCHING_DEFAULTS, BatchListener.NONE)) {
      long[] latencies = new long[requests];
      long tokens = 0;
      for (int i = -50; i < requests; i++) {
        Thread.sleep(5); // idle between requests, as a lone caller would be
        long t0 = System.nanoTime();
        TokenizedText text = model.tokenize(sentence);
        ((Submission.Accepted) batcher.submit(List.of(text))).vectors().join();
        if (i >= 0) {
          latencies[i] = System.nanoTime() - t0;
          tokens += text.length();
        }
      }
      long total = Arrays.stream(latencies).sum();
      return new Run(requests, tokens, 0, total / 1e9, latencies);
    }
  }
}
