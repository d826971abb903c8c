package dev.spillway.routing.data;

/**
 * One prompt and how well each candidate answered it.
 *
 * @param prompt the prompt's text
 * @param category its task category (an MMLU subject, or the CSV's {@code category} column, or
 *     {@link OutcomeTable#DEFAULT_CATEGORY})
 * @param quality per candidate, in the table's candidate order: 1 for a correct answer, 0 for a
 *     wrong one, or a graded score in between
 */
public record Outcome(String prompt, String category, double[] quality) {

  /** What the strong candidate gains over the weak one on this prompt (-1 to 1). */
  public double gain(int weak, int strong) {
    return quality[strong] - quality[weak];
  }
}
