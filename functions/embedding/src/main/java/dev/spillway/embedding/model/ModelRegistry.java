package dev.spillway.embedding.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The models and heads listed in {@code models.json} of a models folder (the repository's {@code
 * onnx-models/}). Adding a model is a folder and an entry there, not code. Immutable and
 * thread-safe.
 */
public final class ModelRegistry {

  /** The registry file's name inside the models folder. */
  public static final String FILE = "models.json";

  private final Path root;
  private final Map<String, ModelSpec> models;
  private final Map<String, HeadSpec> heads;

  private ModelRegistry(Path root, Map<String, ModelSpec> models, Map<String, HeadSpec> heads) {
    this.root = root;
    this.models = models;
    this.heads = heads;
  }

  /**
   * Reads {@code <root>/models.json}.
   *
   * @throws IllegalArgumentException when the file is missing or an entry is incomplete; the
   *     message names the file and the entry
   */
  public static ModelRegistry load(Path root) {
    Path file = root.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "model registry " + file.toAbsolutePath().normalize() + " does not exist");
    }
    JsonNode tree;
    try {
      tree = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model registry " + file, e);
    }
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    for (JsonNode entry : tree.path("models")) {
      String id = text(entry, "id", file);
      String at = file + " model '" + id + "'";
      ModelSpec spec =
          new ModelSpec(
              id,
              root.resolve(text(entry, "folder", file)),
              text(entry, "onnx", file),
              text(entry, "tokenizer", file),
              positive(entry, "dimensions", at),
              positive(entry, "max-tokens", at),
              ModelSpec.PoolingStrategy.valueOf(
                  entry.path("pooling").asText("mean").toUpperCase(Locale.ROOT)),
              entry.path("normalize").asBoolean(true),
              entry.path("shortenable").asBoolean(false));
      if (models.put(id, spec) != null) {
        throw new IllegalArgumentException(file + " lists model '" + id + "' twice");
      }
    }
    Map<String, HeadSpec> heads = new LinkedHashMap<>();
    for (JsonNode entry : tree.path("heads")) {
      String id = text(entry, "id", file);
      if (models.containsKey(id)
          || heads.put(id, new HeadSpec(id, root.resolve(text(entry, "file", file)))) != null) {
        throw new IllegalArgumentException(file + " uses the name '" + id + "' twice");
      }
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException(file + " lists no model");
    }
    return new ModelRegistry(root, Map.copyOf(models), Map.copyOf(heads));
  }

  private static String text(JsonNode entry, String field, Path file) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(
          file + ": an entry lacks the text field '" + field + "': " + entry);
    }
    return value.asText();
  }

  private static int positive(JsonNode entry, String field, String at) {
    int value = entry.path(field).asInt(0);
    if (value < 1) {
      throw new IllegalArgumentException(at + ": '" + field + "' must be a positive integer");
    }
    return value;
  }

  public Path root() {
    return root;
  }

  /** Every model, in the file's order. */
  public List<ModelSpec> models() {
    List<ModelSpec> list = new ArrayList<>(models.values());
    list.sort((a, b) -> a.id().compareTo(b.id()));
    return list;
  }

  public Optional<ModelSpec> model(String id) {
    return Optional.ofNullable(models.get(id));
  }

  /** Every classification head. */
  public List<HeadSpec> heads() {
    List<HeadSpec> list = new ArrayList<>(heads.values());
    list.sort((a, b) -> a.id().compareTo(b.id()));
    return list;
  }
}
