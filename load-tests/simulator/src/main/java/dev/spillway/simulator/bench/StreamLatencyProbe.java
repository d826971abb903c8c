package dev.spillway.simulator.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures time to first token of streaming chat completions at a fixed concurrency: N streams in
 * flight at all times, each timed from the moment its request is sent to the first SSE event
 * carrying non-empty {@code delta.content}. Used by the gateway benchmark to compare the gateway
 * with the upstream it fronts, in the same run and with the same client, so that the difference is
 * what the gateway adds.
 *
 * <p>Prints one JSON line: request and error counts, and TTFT and total-stream percentiles in
 * milliseconds. Usage:
 *
 * <pre>
 * java -cp spillway-upstream-simulator-all.jar dev.spillway.simulator.bench.StreamLatencyProbe \
 *   --url http://127.0.0.1:8080/v1/chat/completions --model gpt-4o-mini --key KEY \
 *   --concurrency 16 --requests 2000 --warmup 200
 * </pre>
 */
public final class StreamLatencyProbe {

  private final URI url;
  private final String key;
  private final Buffer body;
  private final int concurrency;
  private final int warmup;
  private final int requests;
  private final long[] ttftNanos;
  private final long[] totalNanos;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger recorded = new AtomicInteger();
  private final AtomicInteger errors = new AtomicInteger();
  private final CountDownLatch done;
  private HttpClient client;

  private StreamLatencyProbe(
      URI url, String key, String model, int concurrency, int warmup, int requests) {
    this.url = url;
    this.key = key;
    this.body =
        Buffer.buffer(
            "{\"model\":\""
                + model
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Tell me about the rivers of Europe.\"}]}");
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.requests = requests;
    this.ttftNanos = new long[requests];
    this.totalNanos = new long[requests];
    this.done = new CountDownLatch(concurrency);
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    String key = "";
    String model = "gpt-4o-mini";
    int concurrency = 1;
    int warmup = 100;
    int requests = 1000;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--url" -> url = value;
        case "--key" -> key = value;
        case "--model" -> model = value;
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--requests" -> requests = Integer.parseInt(value);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
      i++;
    }
    if (url == null || concurrency < 1 || requests < 1 || warmup < 0) {
      System.err.println(
          "usage: StreamLatencyProbe --url URL [--key KEY] [--model M] [--concurrency N]"
              + " [--requests N] [--warmup N]");
      System.exit(2);
    }
    System.out.println(
        new StreamLatencyProbe(URI.create(url), key, model, concurrency, warmup, requests).run());
  }

  private String run() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setDefaultHost(url.getHost())
                  .setDefaultPort(url.getPort())
                  .setKeepAlive(true)
                  .setTcpNoDelay(true),
              new PoolOptions().setHttp1MaxSize(concurrency));
      for (int i = 0; i < concurrency; i++) {
        vertx.runOnContext(ignored -> next());
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the probe did not finish within 10 minutes");
      }
    } finally {
      vertx.close();
    }
    int n = recorded.get();
    long[] ttft = Arrays.copyOf(ttftNanos, n);
    long[] total = Arrays.copyOf(totalNanos, n);
    Arrays.sort(ttft);
    Arrays.sort(total);
    return String.format(
        Locale.ROOT,
        "{\"url\":\"%s\",\"concurrency\":%d,\"requests\":%d,\"errors\":%d,"
            + "\"ttft_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
            + "\"total_ms\":{\"p50\":%.3f,\"p99\":%.3f}}",
        url,
        concurrency,
        n,
        errors.get(),
        millis(ttft, 0.50),
        millis(ttft, 0.90),
        millis(ttft, 0.99),
        millis(ttft, 1.0),
        millis(total, 0.50),
        millis(total, 0.99));
  }

  /** Starts the next stream, or retires this worker when every request has been sent. */
  private void next() {
    int index = started.getAndIncrement();
    if (index >= warmup + requests) {
      done.countDown();
      return;
    }
    long start = System.nanoTime();
    long[] firstToken = {-1};
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(url.getRawPath())
            .putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer " + key);
    client
        .request(options)
        .compose(request -> request.send(body))
        .compose(
            response -> {
              // Set in the same event-loop turn that delivered the headers: no chunk is missed.
              response.handler(
                  chunk -> {
                    if (firstToken[0] < 0 && hasContent(chunk.toString())) {
                      firstToken[0] = System.nanoTime() - start;
                    }
                  });
              return response.end().map(response);
            })
        .onComplete(
            result -> {
              boolean ok =
                  result.succeeded() && result.result().statusCode() == 200 && firstToken[0] >= 0;
              if (!ok) {
                errors.incrementAndGet();
              } else if (index >= warmup) {
                int slot = recorded.getAndIncrement();
                if (slot < requests) {
                  ttftNanos[slot] = firstToken[0];
                  totalNanos[slot] = System.nanoTime() - start;
                }
              }
              next();
            });
  }

  /** True when an SSE chunk carries a non-empty content delta. */
  static boolean hasContent(String text) {
    int at = text.indexOf("\"content\":\"");
    while (at >= 0) {
      int valueStart = at + "\"content\":\"".length();
      if (valueStart < text.length() && text.charAt(valueStart) != '"') {
        return true;
      }
      at = text.indexOf("\"content\":\"", valueStart);
    }
    return false;
  }

  private static double millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1_000_000.0;
  }
}
