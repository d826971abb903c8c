package dev.spillway.routing.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.routing.scoring.LinearScorer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes router files ({@code spillway.router.v1}): one JSON document, its {@code model}
 * section guarded by a SHA-256 so that a truncated, edited or corrupted file is refused at start
 * rather than routing on wrong weights. The 2^18 weights are little-endian float32 in base64 (1.4
 * MB of text instead of 5 MB of decimals). Every refusal names the file and what is wrong with it.
 * Stateless.
 */
public final class RouterFile {

  public static final String FORMAT = "spillway.router.v1";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RouterFile() {}

  /** Writes a router; the parent directory must exist. */
  public static void write(RouterModel router, Path file) {
    ObjectNode model = MAPPER.createObjectNode();
    ArrayNode candidates = model.putArray("candidates");
    router.candidates().forEach(candidates::add);
    ObjectNode scorer = model.putObject("scorer");
    scorer.put("kind", "hashed-linear");
    scorer.put("buckets", LinearScorer.BUCKETS);
    scorer.put("category_weight", router.scorer().categoryWeight());
    scorer.put("shape", router.scorer().shape());
    scorer.put("weights_f32le_base64", encode(router.scorer().weights()));
    model
        .putObject("probability")
        .put("slope", router.plattSlope())
        .put("intercept", router.plattIntercept());
    model
        .putObject("floor_grid")
        .put("from", RouterModel.floorGrid(0))
        .put("step", 0.01)
        .put("count", RouterModel.GRID_SIZE);
    ObjectNode thresholds = model.putObject("thresholds");
    router
        .thresholds()
        .forEach(
            (category, grid) -> {
              ArrayNode values = thresholds.putArray(category);
              for (double t : grid) {
                if (t == RouterModel.ALL_STRONG) {
                  values.add("all-strong");
                } else if (t == RouterModel.ALL_WEAK) {
                  values.add("all-weak");
                } else {
                  values.add(t);
                }
              }
            });
    ObjectNode calibration = model.putObject("calibration");
    calibration.put("method", router.calibration().method());
    calibration.put("delta", router.calibration().delta());
    ObjectNode prompts = calibration.putObject("prompts");
    new TreeMap<>(router.calibration().prompts()).forEach(prompts::put);
    RouterModel.About about = router.about();
    ObjectNode aboutNode = model.putObject("about");
    aboutNode.put("data_sha256", about.dataSha256());
    aboutNode.put("data_source", about.dataSource());
    aboutNode.put("licence", about.licence());
    aboutNode.put("trained_on", about.trainedOn());
    ObjectNode figures = aboutNode.putObject("figures");
    new TreeMap<>(about.figures()).forEach(figures::put);
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("sha256", digest(model));
    root.set("model", model);
    try {
      Files.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write router file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads and validates a router file.
   *
   * @throws IllegalArgumentException naming the file and the problem: unreadable, not JSON, another
   *     format, a digest that does not match (corrupt or edited), a missing or malformed field
   */
  public static RouterModel read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw refused(file.toString(), "cannot be read (" + e.getMessage() + ")");
    }
    return read(bytes, file.toString());
  }

  /**
   * Reads and validates a router file's bytes (a class-path resource, say).
   *
   * @param name how refusals name the file
   */
  public static RouterModel read(byte[] bytes, String name) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw refused(name, "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw refused(name, "cannot be read (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw refused(name, "not a JSON object");
    }
    String format = root.path("format").asText("");
    if (!FORMAT.equals(format)) {
      throw refused(name, "format is '" + format + "', expected '" + FORMAT + "'");
    }
    JsonNode model = root.path("model");
    if (!model.isObject()) {
      throw refused(name, "has no 'model' object");
    }
    String expected = root.path("sha256").asText("");
    String actual = digest(model);
    if (!expected.equals(actual)) {
      throw refused(
          name,
          "its model's SHA-256 is "
              + actual
              + " but the file says "
              + (expected.isEmpty() ? "nothing" : expected)
              + ": the file is corrupt or was edited by hand (retrain it with 'router train')");
    }
    try {
      return parse(model);
    } catch (IllegalArgumentException e) {
      throw refused(name, e.getMessage());
    }
  }

  private static RouterModel parse(JsonNode model) {
    List<String> candidates = new ArrayList<>();
    for (JsonNode c : required(model, "candidates")) {
      candidates.add(c.asText());
    }
    JsonNode scorer = required(model, "scorer");
    if (!"hashed-linear".equals(scorer.path("kind").asText())) {
      throw new IllegalArgumentException(
          "scorer.kind is '" + scorer.path("kind").asText() + "', expected 'hashed-linear'");
    }
    if (scorer.path("buckets").asInt() != LinearScorer.BUCKETS) {
      throw new IllegalArgumentException(
          "scorer.buckets is "
              + scorer.path("buckets").asText()
              + "; this build hashes into "
              + LinearScorer.BUCKETS);
    }
    float[] weights = decode(required(scorer, "weights_f32le_base64").asText());
    LinearScorer linear =
        new LinearScorer(
            weights,
            required(scorer, "category_weight").asDouble(),
            required(scorer, "shape").asBoolean());
    JsonNode probability = required(model, "probability");
    JsonNode grid = required(model, "floor_grid");
    if (grid.path("count").asInt() != RouterModel.GRID_SIZE
        || Math.abs(grid.path("from").asDouble() - RouterModel.floorGrid(0)) > 1e-9
        || Math.abs(grid.path("step").asDouble() - 0.01) > 1e-9) {
      throw new IllegalArgumentException(
          "floor_grid must be from 0.5 in steps of 0.01, " + RouterModel.GRID_SIZE + " floors");
    }
    Map<String, double[]> thresholds = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> categories = required(model, "thresholds").fields();
    while (categories.hasNext()) {
      Map.Entry<String, JsonNode> category = categories.next();
      double[] values = new double[category.getValue().size()];
      for (int i = 0; i < values.length; i++) {
        JsonNode t = category.getValue().get(i);
        if (t.isNumber()) {
          values[i] = t.asDouble();
        } else if ("all-strong".equals(t.asText())) {
          values[i] = RouterModel.ALL_STRONG;
        } else if ("all-weak".equals(t.asText())) {
          values[i] = RouterModel.ALL_WEAK;
        } else {
          throw new IllegalArgumentException(
              "thresholds." + category.getKey() + "[" + i + "] is not a number: " + t);
        }
      }
      thresholds.put(category.getKey(), values);
    }
    JsonNode calibration = required(model, "calibration");
    Map<String, Integer> prompts = new LinkedHashMap<>();
    calibration
        .path("prompts")
        .fields()
        .forEachRemaining(e -> prompts.put(e.getKey(), e.getValue().asInt()));
    JsonNode about = required(model, "about");
    Map<String, Double> figures = new LinkedHashMap<>();
    about
        .path("figures")
        .fields()
        .forEachRemaining(e -> figures.put(e.getKey(), e.getValue().asDouble()));
    return new RouterModel(
        candidates,
        linear,
        required(probability, "slope").asDouble(),
        required(probability, "intercept").asDouble(),
        thresholds,
        new RouterModel.Calibration(
            required(calibration, "method").asText(),
            required(calibration, "delta").asDouble(),
            prompts),
        new RouterModel.About(
            required(about, "data_sha256").asText(),
            required(about, "data_source").asText(),
            required(about, "licence").asText(),
            required(about, "trained_on").asInt(),
            figures));
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return value;
  }

  private static IllegalArgumentException refused(String name, String problem) {
    return new IllegalArgumentException("router file " + name + " refused: " + problem);
  }

  /** SHA-256 of the model section as Jackson writes it compactly: the same on write and read. */
  static String digest(JsonNode model) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(MAPPER.writeValueAsBytes(model)));
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("SHA-256 of a JSON tree always works", e);
    }
  }

  private static String encode(float[] weights) {
    ByteBuffer bytes = ByteBuffer.allocate(weights.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float w : weights) {
      bytes.putFloat(w);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] decode(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("scorer.weights_f32le_base64 is not base64");
    }
    if (raw.length != LinearScorer.BUCKETS * 4) {
      throw new IllegalArgumentException(
          "scorer.weights_f32le_base64 holds "
              + raw.length
              + " bytes, expected "
              + LinearScorer.BUCKETS * 4);
    }
    ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    float[] weights = new float[LinearScorer.BUCKETS];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = bytes.getFloat();
    }
    return weights;
  }
}
