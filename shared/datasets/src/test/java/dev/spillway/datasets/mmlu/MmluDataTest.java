package dev.spillway.datasets.mmlu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MmluDataTest {

  /** The MMLU prompts, next to the repository ({@code ../shared/data/routing/mmlu}). */
  static final Path MMLU = Path.of("../../../shared/data/routing/mmlu");

  @Test
  void csvReaderHandlesQuotesCommasAndLineBreaks() throws Exception {
    List<List<String>> rows =
        CsvRows.parse(new StringReader("text,label\n\"a, \"\"b\"\"\nc\",x\r\nplain,y\n"));
    assertEquals(
        List.of(List.of("text", "label"), List.of("a, \"b\"\nc", "x"), List.of("plain", "y")),
        rows);
    assertEquals("\"a, \"\"b\"\"\"", CsvRows.quote("a, \"b\""));
  }

  @Test
  void everySubjectFileBelongsToOneOfTheFourGroups() {
    List<MmluDataset.Prompt> prompts = MmluDataset.load(MMLU);
    Set<String> subjects =
        prompts.stream()
            .map(MmluDataset.Prompt::subject)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(57, subjects.size());
    assertEquals(57, MmluSubjectGroups.subjects());
    Map<String, Long> groups =
        prompts.stream()
            .collect(
                Collectors.groupingBy(
                    p -> MmluSubjectGroups.group(p.subject()).orElseThrow(),
                    Collectors.counting()));
    assertEquals(
        Set.of(
            MmluSubjectGroups.STEM,
            MmluSubjectGroups.HUMANITIES,
            MmluSubjectGroups.SOCIAL_SCIENCES,
            MmluSubjectGroups.OTHER),
        groups.keySet());
    assertEquals("stem", MmluSubjectGroups.group("abstract_algebra").orElseThrow());
    assertEquals("humanities", MmluSubjectGroups.group("professional_law").orElseThrow());
    assertEquals("social_sciences", MmluSubjectGroups.group("econometrics").orElseThrow());
    assertEquals("other", MmluSubjectGroups.group("clinical_knowledge").orElseThrow());
  }

  @Test
  void contaminatedPromptsAreDropped() {
    // 14,042 rows in the files, 5 marked contaminated by RouteLLM.
    int total = MmluDataset.load(MMLU).size();
    assertEquals(14_037, total);
    assertTrue(MmluDataset.load(MMLU).stream().noneMatch(p -> p.text().isBlank()));
  }
}
