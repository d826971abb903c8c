package dev.spillway.gateway.validation;

import static dev.spillway.gateway.validation.Answers.jsonObjectRequest;
import static dev.spillway.gateway.validation.Answers.jsonSchemaRequest;
import static dev.spillway.gateway.validation.Answers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.TokenUsage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamValidationTest {

  private static final ResponseValidator DEFAULTS =
      new ResponseValidator(ValidationPolicy.defaults());

  private static final String SCHEMA =
      "{\"type\":\"object\",\"required\":[\"n\"],\"properties\":{\"n\":{\"type\":\"integer\"}}}";

  /**
   * @param expected the rule the answer breaks, or null for a good answer
   */
  private record Case(ChatCompletionRequest request, Answers answer, Rule expected) {}

  /** Good and bad answers for every rule. */
  private static List<Case> cases() {
    String cutJson = HealthyTexts.longJson().substring(0, 500);
    Answers threeTokens = Answers.text("The answ", "length").withUsage(TokenUsage.reported(9, 3));
    return List.of(
        new Case(request(), Answers.text(HealthyTexts.PROSE, "stop"), null),
        new Case(request(), Answers.text(HealthyTexts.CODE_BLOCK, "stop"), null),
        new Case(request(), Answers.text(HealthyTexts.markdownTable(), "stop"), null),
        new Case(request(), Answers.text(HealthyTexts.numberedList(), "length"), null),
        new Case(jsonObjectRequest(), Answers.text(HealthyTexts.longJson(), "stop"), null),
        new Case(request(), Answers.text(null, "stop"), Rule.EMPTY_CONTENT),
        new Case(request(), Answers.text("  \n", "stop"), Rule.EMPTY_CONTENT),
        new Case(request(), Answers.toolCall("get_weather", "{\"city\":\"Oslo\"}"), null),
        new Case(request(), Answers.refused("I can't help with that."), null),
        new Case(request(), threeTokens, Rule.SHORT_LENGTH),
        new Case(request("\"max_tokens\":3"), threeTokens, null),
        new Case(
            request(), Answers.text("The answer is", "length").withUsage(null), Rule.SHORT_LENGTH),
        new Case(jsonObjectRequest(), Answers.text(cutJson, "length"), Rule.INVALID_JSON),
        new Case(jsonObjectRequest(), Answers.text("{\"a\": nope}", "stop"), Rule.INVALID_JSON),
        new Case(jsonObjectRequest(), Answers.text("[1]", "stop"), Rule.INVALID_JSON),
        new Case(jsonSchemaRequest(SCHEMA), Answers.text("{\"n\":1}", "stop"), null),
        new Case(
            jsonSchemaRequest(SCHEMA),
            Answers.text("{\"n\":\"one\"}", "stop"),
            Rule.SCHEMA_MISMATCH),
        new Case(
            request(),
            Answers.text(HealthyTexts.PROSE + "the the ".repeat(300), "length"),
            Rule.REPETITION),
        new Case(
            request(),
            Answers.toolCall("write", "{\"text\":\"" + "la ".repeat(300)),
            Rule.REPETITION));
  }

  /** What the stream reports: the first violation a chunk reveals, else the end's verdict. */
  private static Optional<Violation> streamed(Case c, int pieceSize) {
    StreamValidation stream = DEFAULTS.start(c.request());
    for (ChatChunk chunk : c.answer().chunks(pieceSize)) {
      Optional<Violation> violation = stream.onChunk(chunk);
      if (violation.isPresent()) {
        return violation;
      }
    }
    return stream.onEnd();
  }

  @Test
  void streamAndWholeAnswerAgree() {
    for (Case c : cases()) {
      Optional<Violation> whole = DEFAULTS.check(c.request(), c.answer().completion());
      assertEquals(Optional.ofNullable(c.expected()), whole.map(Violation::rule), c::toString);
      for (int size : new int[] {1, 7, 64, 100_000}) {
        assertEquals(whole, streamed(c, size), () -> size + " " + c);
      }
    }
  }

  @Test
  void aLoopIsReportedBeforeTheStreamEnds() {
    Answers looping = Answers.text("Well, " + "maybe ".repeat(1000), "length");
    List<ChatChunk> chunks = looping.chunks(5);
    StreamValidation stream = DEFAULTS.start(request());
    int seen = 0;
    Optional<Violation> violation = Optional.empty();
    while (violation.isEmpty()) {
      violation = stream.onChunk(chunks.get(seen++));
    }
    assertEquals(Rule.REPETITION, violation.get().rule());
    assertTrue(seen < 100, "caught after " + seen + " of " + chunks.size() + " chunks");
    assertEquals(violation, stream.onChunk(chunks.get(seen)), "later chunks repeat the verdict");
    assertEquals(violation, stream.onEnd());
  }

  @Test
  void theTextIsTheOutputInOrder() {
    Answers answer = Answers.toolCall("get_weather", "{\"city\":\"Oslo\"}");
    StreamValidation stream = DEFAULTS.start(request());
    answer.chunks(3).forEach(stream::onChunk);
    assertEquals("get_weather{\"city\":\"Oslo\"}", stream.text());

    StreamValidation prose = DEFAULTS.start(request());
    Answers.text(HealthyTexts.PROSE, "stop").chunks(11).forEach(prose::onChunk);
    assertEquals(HealthyTexts.PROSE, prose.text());
    assertEquals(Optional.empty(), prose.onEnd());
  }

  @Test
  void usageFromTheLastChunkCounts() {
    var strict = new ResponseValidator(new ValidationPolicy(true, 16, true, true, true));
    StreamValidation withUsage = strict.start(request());
    Answers.text("Hello there.", "stop").chunks(4).forEach(withUsage::onChunk);
    assertEquals(Optional.empty(), withUsage.onEnd());

    StreamValidation without = strict.start(request());
    Answers.text("Hello there.", "stop").withUsage(null).chunks(4).forEach(without::onChunk);
    assertEquals(Rule.MISSING_USAGE, without.onEnd().orElseThrow().rule());
  }
}
