package dev.spillway.embedding.batching;

import dev.spillway.embedding.onnx.TokenizedText;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Merges the inputs of concurrent requests into model runs (dynamic batching, as TEI does): one
 * thread per model takes what is queued, up to a padded-token budget, sorts it by length so that
 * each run pads little, and runs it. Admission is bounded by queued tokens: a full queue refuses a
 * request at once ({@link Submission.Rejected}) instead of growing memory. Thread-safe: any thread
 * may {@link #submit}.
 */
public final class DynamicBatcher implements AutoCloseable {

  private record Item(Job job, int index, TokenizedText text) {}

  private static final class Job {
    final CompletableFuture<float[][]> future = new CompletableFuture<>();
    final float[][] vectors;
    final AtomicInteger remaining;

    Job(int inputs) {
      vectors = new float[inputs][];
      remaining = new AtomicInteger(inputs);
    }
  }

  /** A chunk holds inputs up to this many times its shortest input's length (plus the slack). */
  static final double BAND_RATIO = 1.25;

  static final int BAND_SLACK = 8;

  private static final Comparator<Item> BY_LENGTH = Comparator.comparingInt(i -> i.text.length());

  private final Function<List<TokenizedText>, float[][]> model;
  private final BatchingSettings settings;
  private final BatchListener listener;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedTokens = new AtomicLong();
  private final Thread worker;
  private volatile boolean running = true;
  private volatile long idleSinceNanos = System.nanoTime();

  /** Distinct requests in the last batch: more than one is the evidence of concurrent callers. */
  private volatile int lastBatchRequests;

  /** Observed model throughput, tokens per second (exponential moving average). */
  private volatile double tokensPerSecond = 2_000;

  /**
   * Starts the batching thread.
   *
   * @param name names the thread ({@code embedding-batcher-<name>})
   * @param model embeds one batch; called only from the batching thread
   */
  public DynamicBatcher(
      String name,
      Function<List<TokenizedText>, float[][]> model,
      BatchingSettings settings,
      BatchListener listener) {
    this.model = model;
    this.settings = settings;
    this.listener = listener;
    this.worker = new Thread(this::run, "embedding-batcher-" + name);
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Queues a request's inputs, or refuses it at once when the queue is full.
   *
   * @return {@link Submission.Accepted} whose future completes with one vector per input, in order,
   *     or {@link Submission.Rejected} with a retry interval
   */
  public Submission submit(List<TokenizedText> inputs) {
    long tokens = 0;
    for (TokenizedText text : inputs) {
      tokens += text.length();
    }
    while (true) {
      long queued = queuedTokens.get();
      if (!running || (queued > 0 && queued + tokens > settings.maxQueuedTokens())) {
        listener.rejected(inputs.size());
        return new Submission.Rejected(retryAfter(queued), queued);
      }
      if (queuedTokens.compareAndSet(queued, queued + tokens)) {
        break;
      }
    }
    Job job = new Job(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      queue.add(new Item(job, i, inputs.get(i)));
    }
    return new Submission.Accepted(job.future);
  }

  private Duration retryAfter(long queued) {
    double seconds = queued / Math.max(tokensPerSecond, 1);
    return Duration.ofSeconds(Math.max(1, (long) Math.ceil(seconds)));
  }

  /** Tokens waiting for a model run. */
  public long queuedTokens() {
    return queuedTokens.get();
  }

  /** Inputs waiting for a model run. */
  public int queuedInputs() {
    return queue.size();
  }

  private void run() {
    List<Item> window = new ArrayList<>();
    while (running) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        window.clear();
        window.add(first);
        collect(window);
        runWindow(window);
        idleSinceNanos = System.nanoTime();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        Log.errorf(e, "the batching thread %s failed a batch", worker.getName());
      }
    }
    failPending(new CancellationException("the embedding function is shutting down"));
  }

  /**
   * Adds queued inputs to the window until the real-token budget or the batch size is reached. A
   * batcher that is busy with concurrent callers (it has just run a batch that held several
   * requests) waits up to {@code maxWait} for companions; otherwise it takes only what is there, so
   * a lone caller, even one sending requests back to back, pays no wait.
   */
  private void collect(List<Item> window) throws InterruptedException {
    int tokens = window.get(0).text.length();
    boolean busy =
        lastBatchRequests > 1 && System.nanoTime() - idleSinceNanos < settings.maxWait().toNanos();
    long deadline = System.nanoTime() + (busy ? settings.maxWait().toNanos() : 0);
    // Collect up to many batches' worth, so that sorting by length has something to sort.
    int windowTokens = settings.maxBatchTokens() * 16;
    int windowSize = settings.maxBatchSize() * 16;
    while (window.size() < windowSize) {
      Item next = queue.peek();
      if (next == null) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          return;
        }
        next = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (next == null) {
          return;
        }
      } else {
        if (tokens + next.text.length() > windowTokens) {
          return;
        }
        queue.poll();
      }
      window.add(next);
      tokens += next.text.length();
    }
  }

  /**
   * Sorts the window by length and runs it in chunks that respect the padded-token budget and the
   * batch size, and that hold inputs of similar length: a chunk ends before an input longer than
   * {@value #BAND_RATIO} × its shortest input + {@value #BAND_SLACK} tokens, so that no input is
   * padded by much more than a quarter of its length.
   */
  private void runWindow(List<Item> window) {
    window.sort(BY_LENGTH);
    int start = 0;
    while (start < window.size()) {
      int end = start + 1;
      int band = (int) (window.get(start).text.length() * BAND_RATIO) + BAND_SLACK;
      while (end < window.size()
          && end - start < settings.maxBatchSize()
          && window.get(end).text.length() <= band
          && (long) (end - start + 1) * window.get(end).text.length()
              <= settings.maxBatchTokens()) {
        end++;
      }
      runBatch(window.subList(start, end));
      start = end;
    }
  }

  private void runBatch(List<Item> batch) {
    List<TokenizedText> texts = new ArrayList<>(batch.size());
    int real = 0;
    int longest = 0;
    Map<Job, Boolean> jobs = new IdentityHashMap<>();
    for (Item item : batch) {
      texts.add(item.text);
      real += item.text.length();
      longest = Math.max(longest, item.text.length());
      jobs.put(item.job, Boolean.TRUE);
    }
    queuedTokens.addAndGet(-real);
    long started = System.nanoTime();
    float[][] vectors;
    try {
      vectors = model.apply(texts);
    } catch (RuntimeException e) {
      for (Job job : jobs.keySet()) {
        job.future.completeExceptionally(e);
      }
      throw e;
    }
    long nanos = System.nanoTime() - started;
    double observed = real / Math.max(nanos / 1e9, 1e-6);
    tokensPerSecond = 0.8 * tokensPerSecond + 0.2 * observed;
    // Metrics first, so that a caller who sees its answer also sees the batch counted.
    lastBatchRequests = jobs.size();
    listener.batch(batch.size(), jobs.size(), real, batch.size() * longest, nanos);
    for (int i = 0; i < batch.size(); i++) {
      Item item = batch.get(i);
      item.job.vectors[item.index] = vectors[i];
      if (item.job.remaining.decrementAndGet() == 0) {
        item.job.future.complete(item.job.vectors);
      }
    }
  }

  private void failPending(RuntimeException reason) {
    Item item;
    while ((item = queue.poll()) != null) {
      queuedTokens.addAndGet(-item.text.length());
      item.job.future.completeExceptionally(reason);
    }
  }

  /** Stops the batching thread; queued requests fail with a {@link CancellationException}. */
  @Override
  public void close() {
    running = false;
    worker.interrupt();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failPending(new CancellationException("the embedding function is shutting down"));
  }
}
