package dev.spillway.routing;

import dev.spillway.datasets.mmlu.CsvRows;
import dev.spillway.routing.calibration.ThresholdCalibration;
import dev.spillway.routing.data.OutcomeTable;
import dev.spillway.routing.model.RouterFile;
import dev.spillway.routing.model.RouterModel;
import dev.spillway.routing.model.RouterTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** {@code router train} and {@code router score}: the router file's two ends. Stateless. */
final class RouterTools {

  private RouterTools() {}

  /** Trains a router file from an outcome table; prints its figures. */
  static String train(Map<String, String> options) {
    Path data = existing(RouterCommand.required(options, "data"), "--data");
    Path out = Path.of(RouterCommand.required(options, "out"));
    String licence = RouterCommand.required(options, "licence");
    if (licence.isBlank()) {
      throw new IllegalArgumentException("--licence must say the data's licence and attribution");
    }
    String source = options.getOrDefault("source", data.getFileName().toString());
    ThresholdCalibration.Method method =
        switch (options.getOrDefault("method", "clopper-pearson")) {
          case "clopper-pearson" -> ThresholdCalibration.Method.CLOPPER_PEARSON;
          case "clopper-pearson-net" -> ThresholdCalibration.Method.CLOPPER_PEARSON_NET;
          case "conformal-risk" -> ThresholdCalibration.Method.CONFORMAL_RISK;
          default ->
              throw new IllegalArgumentException(
                  "--method must be clopper-pearson, clopper-pearson-net or conformal-risk, got "
                      + options.get("method"));
        };
    RouterTraining.Options training =
        new RouterTraining.Options(
            RouterCommand.integer(options, "folds", 5),
            RouterCommand.integer(options, "seed", 42),
            RouterCommand.RIDGE_LAMBDA,
            RouterCommand.fraction(options, "delta", 0.05),
            method);
    OutcomeTable table = OutcomeTable.read(data);
    String heldOutNote = "";
    if (options.containsKey("holdout")) {
      double share = RouterCommand.fraction(options, "holdout", 0.2);
      Path heldOutFile = Path.of(RouterCommand.required(options, "holdout-out"));
      HeldOut split = HeldOut.split(table, share, training.seed());
      split.write(heldOutFile, table.candidates());
      table = new OutcomeTable(table.candidates(), split.train());
      source =
          source
              + " (less a held-out "
              + Math.round(share * 100)
              + " % per category, seed "
              + training.seed()
              + ")";
      heldOutNote = split.heldOut().size() + " held-out prompts written to " + heldOutFile + "\n";
    } else if (options.containsKey("holdout-out")) {
      throw new IllegalArgumentException("--holdout-out needs --holdout (the share to hold out)");
    }
    RouterModel router = RouterTraining.train(table, training, sha256(data), source, licence);
    RouterFile.write(router, out);
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "router written to %s: candidates %s, %d prompts, %d categories, data SHA-256 %s%n",
            out,
            router.candidates(),
            router.about().trainedOn(),
            router.categories().size(),
            router.about().dataSha256()));
    router
        .about()
        .figures()
        .forEach(
            (name, value) -> report.append(String.format(Locale.ROOT, "  %s %.4f%n", name, value)));
    return report.append(heldOutNote).toString();
  }

  /** Scores a CSV of {@code id,prompt[,category]} into {@code id,score}. */
  static String score(Map<String, String> options) {
    RouterModel router =
        RouterFile.read(existing(RouterCommand.required(options, "router"), "--router"));
    Path in = existing(RouterCommand.required(options, "in"), "--in");
    Path out = Path.of(RouterCommand.required(options, "out"));
    List<List<String>> rows = CsvRows.read(in);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(in + " is empty: expected a header id,prompt[,category]");
    }
    List<String> header = rows.get(0);
    int id = header.indexOf("id");
    int prompt = header.indexOf("prompt");
    int category = header.indexOf("category");
    if (id < 0 || prompt < 0) {
      throw new IllegalArgumentException(
          in + " has columns " + header + "; 'id' and 'prompt' are required");
    }
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write("id,score\n");
      for (int r = 1; r < rows.size(); r++) {
        List<String> row = rows.get(r);
        if (row.size() != header.size()) {
          throw new IllegalArgumentException(
              in
                  + " row "
                  + (r + 1)
                  + " has "
                  + row.size()
                  + " fields, the header "
                  + header.size());
        }
        String c = category < 0 || row.get(category).isEmpty() ? null : row.get(category);
        double p = router.probability(row.get(prompt), c);
        writer.write(quoted(row.get(id)) + "," + String.format(Locale.ROOT, "%.6f", p) + "\n");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write --out " + out + ": " + e.getMessage());
    }
    return (rows.size() - 1) + " prompts scored into " + out + "\n";
  }

  private static String quoted(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  private static Path existing(String path, String option) {
    Path p = Path.of(path);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException(option + " " + p + ": no such file or directory");
    }
    return p;
  }

  /** SHA-256 of a file, or of a directory's regular files by sorted name (name and bytes). */
  static String sha256(Path data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      if (Files.isDirectory(data)) {
        List<Path> files;
        try (Stream<Path> list = Files.list(data)) {
          files = list.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
          sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
          sha.update(Files.readAllBytes(file));
        }
      } else {
        sha.update(Files.readAllBytes(data));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + data, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
