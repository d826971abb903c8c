package dev.spillway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.routing.data.Outcome;
import dev.spillway.routing.data.OutcomeTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded split of an outcome table into training prompts and held-out ones, stratified by
 * category (the same share of every category held out), for a router whose figures must come from
 * prompts it never saw: the Gatling cost simulation replays the held-out ones.
 *
 * @param heldOut the held-out prompts with their index in the original table (their id)
 */
record HeldOut(List<Outcome> train, List<Outcome> heldOut, List<Integer> heldOutIds) {

  static HeldOut split(OutcomeTable table, double share, long seed) {
    Map<String, List<Integer>> byCategory = new TreeMap<>();
    List<Outcome> rows = table.rows();
    for (int i = 0; i < rows.size(); i++) {
      byCategory.computeIfAbsent(rows.get(i).category(), c -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    boolean[] held = new boolean[rows.size()];
    for (List<Integer> members : byCategory.values()) {
      List<Integer> shuffled = new ArrayList<>(members);
      Collections.shuffle(shuffled, random);
      int count = (int) Math.round(share * shuffled.size());
      for (int k = 0; k < count; k++) {
        held[shuffled.get(k)] = true;
      }
    }
    List<Outcome> train = new ArrayList<>();
    List<Outcome> heldOut = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (held[i]) {
        heldOut.add(rows.get(i));
        ids.add(i);
      } else {
        train.add(rows.get(i));
      }
    }
    return new HeldOut(train, heldOut, ids);
  }

  /**
   * Writes the held-out prompts as a JSON array of {@code {"id", "prompt", "category", "outcomes":
   * {candidate: quality}}}: a Gatling feeder, and what its answers are graded against.
   */
  void write(Path file, List<String> candidates) {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode out = mapper.createArrayNode();
    for (int k = 0; k < heldOut.size(); k++) {
      Outcome row = heldOut.get(k);
      ObjectNode node = out.addObject();
      node.put("id", "p" + heldOutIds.get(k));
      node.put("prompt", row.prompt());
      node.put("category", row.category());
      ObjectNode outcomes = node.putObject("outcomes");
      for (int c = 0; c < candidates.size(); c++) {
        outcomes.put(candidates.get(c), row.quality()[c]);
      }
    }
    try {
      mapper.writeValue(file.toFile(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write --holdout-out " + file + ": " + e.getMessage());
    }
  }
}
