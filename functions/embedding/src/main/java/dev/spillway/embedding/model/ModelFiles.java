package dev.spillway.embedding.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Checks a model's files against the SHA-256 values committed in its folder's {@value #CHECKSUMS}
 * ({@code file=hex}). Run by the build ({@link #main}) right after the files are materialised, and
 * by the function at start-up, so a corrupt or substituted file never serves. Stateless.
 */
public final class ModelFiles {

  /** The checksum file's name inside each model folder. */
  public static final String CHECKSUMS = "sha256.properties";

  private ModelFiles() {}

  /**
   * The problems with one model's files: missing files, files without a committed checksum, and
   * mismatches (with both values). Empty when every file is as committed.
   */
  public static List<String> problems(ModelSpec model) {
    List<String> problems = new ArrayList<>();
    Path sums = model.folder().resolve(CHECKSUMS);
    Properties expected = new Properties();
    try (Reader reader = Files.newBufferedReader(sums)) {
      expected.load(reader);
    } catch (IOException e) {
      problems.add("model '" + model.id() + "': cannot read " + sums + " (" + e.getMessage() + ")");
      return problems;
    }
    for (String name : List.of(model.onnxFile(), model.tokenizerFile())) {
      Path file = model.folder().resolve(name);
      String want = expected.getProperty(name);
      if (want == null) {
        problems.add("model '" + model.id() + "': " + sums + " has no SHA-256 for " + name);
      } else if (!Files.isRegularFile(file)) {
        problems.add(
            "model '"
                + model.id()
                + "': "
                + file
                + " is missing; materialise it with `mvn -pl onnx-models generate-resources`");
      } else {
        String got = sha256(file);
        if (!got.equalsIgnoreCase(want.trim())) {
          problems.add(
              "model '"
                  + model.id()
                  + "': SHA-256 mismatch for "
                  + file
                  + ": expected "
                  + want.trim()
                  + ", found "
                  + got);
        }
      }
    }
    return problems;
  }

  /** The lowercase hex SHA-256 of a file, read in a stream (never the whole file in memory). */
  public static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      byte[] buffer = new byte[1 << 16];
      while (in.read(buffer) >= 0) {
        // the digest sees every byte read
      }
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The build's check: {@code ModelFiles <models-dir>} verifies every model of the registry and
   * exits non-zero, listing each problem, when one file is missing or differs.
   */
  public static void main(String[] args) {
    Path root = Path.of(args.length > 0 ? args[0] : "onnx-models");
    ModelRegistry registry = ModelRegistry.load(root);
    List<String> problems = new ArrayList<>();
    for (ModelSpec model : registry.models()) {
      problems.addAll(problems(model));
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "model files do not match their committed checksums:\n  - "
              + String.join("\n  - ", problems));
    }
    System.out.println(
        "[onnx-models] " + registry.models().size() + " models verified (SHA-256) in " + root);
  }
}
