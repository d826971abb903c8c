package dev.spillway.lambda.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The AWS sample payloads (src/test/resources/aws), with their {@code ${...}} placeholders filled
 * in. Shared with the quota and drift tests through this module's test jar.
 */
public final class Samples {

  private Samples() {}

  /**
   * @param name a file under {@code aws/}, e.g. {@code sqs-usage-batch.json}
   * @param values placeholder name to value
   */
  public static String read(String name, Map<String, String> values) {
    try (InputStream in = Samples.class.getResourceAsStream("/aws/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no AWS sample " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> value : values.entrySet()) {
        text = text.replace("${" + value.getKey() + "}", value.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
