package dev.spillway.embedding.bench;

import dev.spillway.datasets.mmlu.MmluDataset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's HTTP part against a running function: idle latency of one short sentence, p50/p99
 * under 32 concurrent callers, then a mixed-length load (1–16 MMLU prompts per request, some cut to
 * a few words, some repeated past 256 tokens, both models) for a fixed time while sampling the
 * server's resident memory from {@code /proc/<pid>/status}.
 *
 * <p>Usage: {@code SoakLoad <base-url> <server-pid> <mmlu-dir> <seconds>}.
 */
public final class SoakLoad {

  private SoakLoad() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    long pid = Long.parseLong(args[1]);
    List<String> prompts =
        MmluDataset.load(Path.of(args[2])).stream().map(MmluDataset.Prompt::text).toList();
    int seconds = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    URI embeddings = URI.create(base + "/v1/embeddings");

    System.out.println("| minute | RSS MiB | requests | inputs |");
    System.out.println("|---|---|---|---|");
    AtomicLong requests = new AtomicLong();
    AtomicLong inputs = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    ExecutorService callers = Executors.newFixedThreadPool(16);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      int seed = c;
      done.add(
          callers.submit(
              () -> {
                Random random = new Random(seed);
                while (System.nanoTime() < end) {
                  int n = 1 + random.nextInt(16);
                  StringBuilder array = new StringBuilder("[");
                  for (int k = 0; k < n; k++) {
                    String text = prompts.get(random.nextInt(prompts.size()));
                    int shape = random.nextInt(10);
                    if (shape == 0) {
                      text = text.repeat(4); // past 256 tokens: truncated
                    } else if (shape < 3) {
                      text = text.substring(0, Math.min(text.length(), 40));
                    }
                    array.append(k == 0 ? "" : ",").append(json(text));
                  }
                  String model = random.nextBoolean() ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2";
                  int status =
                      post(
                          client,
                          embeddings,
                          "{\"model\":\"" + model + "\",\"input\":" + array + "]}");
                  if (status == 200) {
                    requests.incrementAndGet();
                    inputs.addAndGet(n);
                  } else if (status == 503) {
                    Thread.sleep(200);
                  }
                }
                return null;
              }));
    }
    long started = System.nanoTime();
    int minute = 0;
    System.out.printf(Locale.ROOT, "| 0 | %d | 0 | 0 |%n", rssMib(pid));
    while (System.nanoTime() < end) {
      long next = started + Duration.ofSeconds(60L * (minute + 1)).toNanos();
      long sleep = Math.min(next, end) - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000);
      }
      minute++;
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d |%n",
          System.nanoTime() >= end ? String.format(Locale.ROOT, "%.1f", seconds / 60.0) : minute,
          rssMib(pid),
          requests.get(),
          inputs.get());
    }
    for (Future<?> f : done) {
      f.get();
    }
    callers.shutdown();
    System.exit(0);
  }

  private static int post(HttpClient client, URI uri, String body) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 503) {
      throw new IllegalStateException(response.statusCode() + ": " + response.body());
    }
    return response.statusCode();
  }

  private static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static long rssMib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
