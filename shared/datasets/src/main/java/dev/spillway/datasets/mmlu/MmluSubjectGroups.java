package dev.spillway.datasets.mmlu;

import java.util.Map;
import java.util.Optional;

/**
 * MMLU's four subject groups, as the benchmark's authors define them (Hendrycks et al., {@code
 * categories.py} of the MMLU repository): each of the 57 subjects has a subcategory, and each
 * subcategory belongs to STEM, humanities, social sciences or other (business, health, misc.).
 */
public final class MmluSubjectGroups {

  public static final String STEM = "stem";
  public static final String HUMANITIES = "humanities";
  public static final String SOCIAL_SCIENCES = "social_sciences";
  public static final String OTHER = "other";

  private static final Map<String, String> SUBCATEGORY_GROUP =
      Map.ofEntries(
          Map.entry("physics", STEM),
          Map.entry("chemistry", STEM),
          Map.entry("biology", STEM),
          Map.entry("computer science", STEM),
          Map.entry("math", STEM),
          Map.entry("engineering", STEM),
          Map.entry("history", HUMANITIES),
          Map.entry("philosophy", HUMANITIES),
          Map.entry("law", HUMANITIES),
          Map.entry("politics", SOCIAL_SCIENCES),
          Map.entry("culture", SOCIAL_SCIENCES),
          Map.entry("economics", SOCIAL_SCIENCES),
          Map.entry("geography", SOCIAL_SCIENCES),
          Map.entry("psychology", SOCIAL_SCIENCES),
          Map.entry("other", OTHER),
          Map.entry("business", OTHER),
          Map.entry("health", OTHER));

  private static final Map<String, String> SUBJECT_SUBCATEGORY =
      Map.ofEntries(
          Map.entry("abstract_algebra", "math"),
          Map.entry("anatomy", "health"),
          Map.entry("astronomy", "physics"),
          Map.entry("business_ethics", "business"),
          Map.entry("clinical_knowledge", "health"),
          Map.entry("college_biology", "biology"),
          Map.entry("college_chemistry", "chemistry"),
          Map.entry("college_computer_science", "computer science"),
          Map.entry("college_mathematics", "math"),
          Map.entry("college_medicine", "health"),
          Map.entry("college_physics", "physics"),
          Map.entry("computer_security", "computer science"),
          Map.entry("conceptual_physics", "physics"),
          Map.entry("econometrics", "economics"),
          Map.entry("electrical_engineering", "engineering"),
          Map.entry("elementary_mathematics", "math"),
          Map.entry("formal_logic", "philosophy"),
          Map.entry("global_facts", "other"),
          Map.entry("high_school_biology", "biology"),
          Map.entry("high_school_chemistry", "chemistry"),
          Map.entry("high_school_computer_science", "computer science"),
          Map.entry("high_school_european_history", "history"),
          Map.entry("high_school_geography", "geography"),
          Map.entry("high_school_government_and_politics", "politics"),
          Map.entry("high_school_macroeconomics", "economics"),
          Map.entry("high_school_mathematics", "math"),
          Map.entry("high_school_microeconomics", "economics"),
          Map.entry("high_school_physics", "physics"),
          Map.entry("high_school_psychology", "psychology"),
          Map.entry("high_school_statistics", "math"),
          Map.entry("high_school_us_history", "history"),
          Map.entry("high_school_world_history", "history"),
          Map.entry("human_aging", "health"),
          Map.entry("human_sexuality", "culture"),
          Map.entry("international_law", "law"),
          Map.entry("jurisprudence", "law"),
          Map.entry("logical_fallacies", "philosophy"),
          Map.entry("machine_learning", "computer science"),
          Map.entry("management", "business"),
          Map.entry("marketing", "business"),
          Map.entry("medical_genetics", "health"),
          Map.entry("miscellaneous", "other"),
          Map.entry("moral_disputes", "philosophy"),
          Map.entry("moral_scenarios", "philosophy"),
          Map.entry("nutrition", "health"),
          Map.entry("philosophy", "philosophy"),
          Map.entry("prehistory", "history"),
          Map.entry("professional_accounting", "other"),
          Map.entry("professional_law", "law"),
          Map.entry("professional_medicine", "health"),
          Map.entry("professional_psychology", "psychology"),
          Map.entry("public_relations", "politics"),
          Map.entry("security_studies", "politics"),
          Map.entry("sociology", "culture"),
          Map.entry("us_foreign_policy", "politics"),
          Map.entry("virology", "health"),
          Map.entry("world_religions", "philosophy"));

  private MmluSubjectGroups() {}

  /** The group of a subject ({@code abstract_algebra} → {@code stem}), if it is an MMLU subject. */
  public static Optional<String> group(String subject) {
    return Optional.ofNullable(SUBJECT_SUBCATEGORY.get(subject)).map(SUBCATEGORY_GROUP::get);
  }

  /** The number of subjects mapped (57). */
  public static int subjects() {
    return SUBJECT_SUBCATEGORY.size();
  }
}
