package dev.spillway.lambda.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The AWS sample payloads under src/test/resources/aws, with their placeholders filled in. */
final class Samples {

  private Samples() {}

  static String read(String name, Map<String, String> values) {
    try {
      String text = Files.readString(Path.of("src/test/resources/aws", name));
      for (Map.Entry<String, String> value : values.entrySet()) {
        text = text.replace("${" + value.getKey() + "}", value.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
