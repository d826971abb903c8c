package dev.spillway.embedding.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.embedding.onnx.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

  @Test
  void theRepositoryRegistryListsBothModelsWithTheirCards() {
    ModelRegistry registry = ModelRegistry.load(Models.DIR);
    assertEquals(
        List.of(Models.FP32, Models.INT8), registry.models().stream().map(ModelSpec::id).toList());
    for (ModelSpec spec : registry.models()) {
      assertEquals(384, spec.dimensions());
      assertEquals(256, spec.maxTokens());
      assertEquals(ModelSpec.PoolingStrategy.MEAN, spec.pooling());
      assertTrue(spec.normalize());
      assertFalse(spec.shortenable());
      assertTrue(Files.exists(spec.folder().resolve("README.md")), "model card for " + spec.id());
      assertEquals(List.of(), ModelFiles.problems(spec), "committed checksums match");
    }
  }

  @Test
  void aModelIsAFolderAndAnEntry(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("tiny"));
    Files.writeString(folder.resolve("tiny.onnx"), "not really a model");
    Files.writeString(folder.resolve("tokenizer.json"), "{}");
    Files.writeString(
        folder.resolve(ModelFiles.CHECKSUMS),
        "tiny.onnx="
            + ModelFiles.sha256(folder.resolve("tiny.onnx"))
            + "\ntokenizer.json=0000000000000000000000000000000000000000000000000000000000000000\n");
    Files.writeString(
        dir.resolve(ModelRegistry.FILE),
        """
        {"models": [{"id": "tiny", "folder": "tiny", "onnx": "tiny.onnx",
          "tokenizer": "tokenizer.json", "dimensions": 8, "max-tokens": 64, "pooling": "cls",
          "normalize": false, "shortenable": true}]}
        """);
    ModelSpec spec = ModelRegistry.load(dir).model("tiny").orElseThrow();
    assertEquals(ModelSpec.PoolingStrategy.CLS, spec.pooling());
    assertEquals(8, spec.dimensions());
    List<String> problems = ModelFiles.problems(spec);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("SHA-256 mismatch"), problems.get(0));
    assertTrue(problems.get(0).contains("tokenizer.json"), problems.get(0));
    Files.delete(folder.resolve("tiny.onnx"));
    assertTrue(ModelFiles.problems(spec).stream().anyMatch(p -> p.contains("is missing")));
  }

  @Test
  void anIncompleteEntryNamesTheMissingField(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(ModelRegistry.FILE), "{\"models\": [{\"id\": \"x\"}]}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelRegistry.load(dir));
    assertTrue(e.getMessage().contains("'folder'"), e.getMessage());
  }
}
