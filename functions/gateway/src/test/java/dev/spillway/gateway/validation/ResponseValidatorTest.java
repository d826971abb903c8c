package dev.spillway.gateway.validation;

import static dev.spillway.gateway.validation.Answers.jsonObjectRequest;
import static dev.spillway.gateway.validation.Answers.jsonSchemaRequest;
import static dev.spillway.gateway.validation.Answers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.provider.Completion;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.TokenUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseValidatorTest {

  private static final ResponseValidator DEFAULTS =
      new ResponseValidator(ValidationPolicy.defaults());

  private static final String PERSON_SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["name","age","pets"],
       "properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0},
        "pets":{"type":"array","items":{"type":"object","required":["kind"],
         "properties":{"kind":{"enum":["cat","dog"]}}}}}}""";

  private static Optional<Violation> check(ChatCompletionRequest request, Answers answer) {
    return DEFAULTS.check(request, answer.completion());
  }

  private static Rule ruleOf(Optional<Violation> violation) {
    return violation.orElseThrow(() -> new AssertionError("expected a violation")).rule();
  }

  // --- empty content

  @Test
  void stopWithoutContentIsEmpty() {
    Optional<Violation> violation = check(request(), Answers.text(null, "stop"));
    assertEquals(Rule.EMPTY_CONTENT, ruleOf(violation));
    assertEquals(
        "finish_reason is stop but the answer has no content, tool call or refusal",
        violation.get().detail());
    assertEquals(Rule.EMPTY_CONTENT, ruleOf(check(request(), Answers.text("", "stop"))));
  }

  @Test
  void stopWithOnlyWhitespaceIsEmpty() {
    Optional<Violation> violation = check(request(), Answers.text(" \n\n ", "stop"));
    assertEquals(Rule.EMPTY_CONTENT, ruleOf(violation));
    assertTrue(violation.get().detail().contains("only whitespace (4 characters)"));
  }

  @Test
  void anAnswerWithoutChoicesIsEmpty() {
    var body = Answers.JSON.createObjectNode();
    body.putArray("choices");
    assertEquals(Rule.EMPTY_CONTENT, ruleOf(DEFAULTS.check(request(), new Completion(body, null))));
  }

  @Test
  void aToolCallARefusalOrAFilteredAnswerNeedNoContent() {
    assertEquals(
        Optional.empty(), check(request(), Answers.toolCall("get_weather", "{\"city\":\"Oslo\"}")));
    assertEquals(Optional.empty(), check(request(), Answers.refused("I can't help with that.")));
    assertEquals(Optional.empty(), check(request(), Answers.text(null, "content_filter")));
    var toolCallThenStop =
        new Answers(null, "lookup", "{}", null, "stop", TokenUsage.reported(20, 5));
    assertEquals(Optional.empty(), check(request(), toolCallThenStop));
  }

  @Test
  void healthyAnswersPassEveryRule() {
    for (String text : HealthyTexts.all()) {
      assertEquals(Optional.empty(), check(request(), Answers.text(text, "stop")));
    }
    assertEquals(Optional.empty(), check(request(), Answers.text("Yes.", "stop")));
  }

  // --- short length

  @Test
  void aLengthCutFarBelowTheMinimumIsShort() {
    Optional<Violation> violation =
        check(request(), Answers.text("The answ", "length").withUsage(TokenUsage.reported(9, 3)));
    assertEquals(Rule.SHORT_LENGTH, ruleOf(violation));
    assertEquals(
        "finish_reason is length after 3 completion tokens, fewer than 16, and the request set no"
            + " max_tokens",
        violation.get().detail());
    Optional<Violation> underALargeLimit =
        check(
            request("\"max_tokens\":4096"),
            Answers.text("The answ", "length").withUsage(TokenUsage.reported(9, 3)));
    assertEquals(Rule.SHORT_LENGTH, ruleOf(underALargeLimit));
    assertTrue(underALargeLimit.get().detail().endsWith("while the request allowed 4096"));
  }

  @Test
  void aLengthCutTheClientAskedForIsNotShort() {
    Answers threeTokens = Answers.text("The answ", "length").withUsage(TokenUsage.reported(9, 3));
    assertEquals(Optional.empty(), check(request("\"max_tokens\":3"), threeTokens));
    assertEquals(Optional.empty(), check(request("\"max_completion_tokens\":4"), threeTokens));
    assertEquals(Rule.SHORT_LENGTH, ruleOf(check(request("\"max_tokens\":5"), threeTokens)));
  }

  @Test
  void aLengthCutAtOrAboveTheMinimumIsNotShort() {
    Answers sixteen =
        Answers.text(HealthyTexts.PROSE, "length").withUsage(TokenUsage.reported(9, 16));
    assertEquals(Optional.empty(), check(request(), sixteen));
  }

  @Test
  void withoutUsageTheLengthIsEstimatedFromCharacters() {
    Optional<Violation> violation =
        check(request(), Answers.text("Twenty characters!!!", "length").withUsage(null));
    assertEquals(Rule.SHORT_LENGTH, ruleOf(violation));
    assertTrue(violation.get().detail().contains("after an estimated 5 completion tokens"));
    assertEquals(
        Optional.empty(),
        check(request(), Answers.text("x".repeat(64) + " y", "length").withUsage(null)));
  }

  @Test
  void withoutUsageASmallLimitOnDenseTextIsStillTheClients() {
    // Ten Chinese characters are about ten tokens, though four characters a token says three.
    Answers chinese = Answers.text("速率限制保护服务免受", "length").withUsage(null);
    assertEquals(Optional.empty(), check(request("\"max_tokens\":10"), chinese));
  }

  // --- json_object

  @Test
  void aJsonObjectAnswerPasses() {
    assertEquals(
        Optional.empty(), check(jsonObjectRequest(), Answers.text("{\"city\":\"Oslo\"}", "stop")));
    assertEquals(
        Optional.empty(),
        check(jsonObjectRequest(), Answers.text("\n " + HealthyTexts.longJson() + "\n", "stop")));
  }

  @Test
  void truncatedJsonIsReportedAsTruncated() {
    String cut = HealthyTexts.longJson().substring(0, 812);
    Optional<Violation> violation = check(jsonObjectRequest(), Answers.text(cut, "length"));
    assertEquals(Rule.INVALID_JSON, ruleOf(violation));
    assertEquals(
        "content is not valid JSON (truncated at character 812)", violation.get().detail());
    for (String prefix :
        new String[] {"{\"a\": 1,", "{\"a\": 1, ", "{\"ok\": tr", "[nul", "{\"a\""}) {
      assertEquals(
          "content is not valid JSON (truncated at character " + prefix.length() + ")",
          check(jsonObjectRequest(), Answers.text(prefix, "stop")).orElseThrow().detail(),
          prefix);
    }
  }

  @Test
  void malformedJsonIsReportedWithItsPosition() {
    Optional<Violation> violation =
        check(jsonObjectRequest(), Answers.text("{\"city\": Oslo}", "stop"));
    assertEquals(Rule.INVALID_JSON, ruleOf(violation));
    assertEquals(
        "content is not valid JSON (unexpected input at character 9)", violation.get().detail());
  }

  @Test
  void jsonObjectRejectsWhatIsNotExactlyOneObject() {
    String[] notAnObject = {
      "[1, 2, 3]",
      "\"a string\"",
      "{\"a\":1} and some words",
      "```json\n{\"a\":1}\n```",
      "Sure! {\"a\":1}",
    };
    for (String content : notAnObject) {
      assertEquals(
          Rule.INVALID_JSON,
          ruleOf(check(jsonObjectRequest(), Answers.text(content, "stop"))),
          content);
    }
    assertEquals(
        "content is JSON but array, not an object",
        check(jsonObjectRequest(), Answers.text("[1, 2, 3]", "stop")).orElseThrow().detail());
  }

  @Test
  void emptyContentIsNotJsonWhenTheEmptyRuleIsOff() {
    var jsonOnly = new ResponseValidator(new ValidationPolicy(false, 0, true, false, false));
    Optional<Violation> violation =
        jsonOnly.check(jsonObjectRequest(), Answers.text("", "stop").completion());
    assertEquals(Rule.INVALID_JSON, ruleOf(violation));
    assertEquals("content is empty, not JSON", violation.get().detail());
  }

  @Test
  void jsonIsNotRequiredOfToolCallsRefusalsTextRequestsOrFilteredAnswers() {
    assertEquals(
        Optional.empty(), check(jsonObjectRequest(), Answers.toolCall("search", "{\"q\":\"x\"}")));
    assertEquals(Optional.empty(), check(jsonObjectRequest(), Answers.refused("I can't do that.")));
    assertEquals(Optional.empty(), check(request(), Answers.text("not json at all", "stop")));
    assertEquals(
        Optional.empty(), check(jsonObjectRequest(), Answers.text("{\"partial", "content_filter")));
  }

  // --- json_schema

  @Test
  void anAnswerMatchingTheSchemaPasses() {
    assertEquals(
        Optional.empty(),
        check(
            jsonSchemaRequest(PERSON_SCHEMA),
            Answers.text(
                "{\"name\":\"Ada\",\"age\":36,\"pets\":[{\"kind\":\"cat\"},{\"kind\":\"dog\"}]}",
                "stop")));
  }

  @Test
  void aSchemaMismatchNamesTheKeywordAndThePath() {
    Optional<Violation> violation =
        check(
            jsonSchemaRequest(PERSON_SCHEMA),
            Answers.text(
                "{\"name\":\"Ada\",\"age\":36,\"pets\":[{\"kind\":\"cat\"},{\"kind\":\"dog\"},"
                    + "{\"kind\":\"parrot\"}]}",
                "stop"));
    assertEquals(Rule.SCHEMA_MISMATCH, ruleOf(violation));
    assertEquals(
        "content does not match the response schema: 'enum' fails at /pets/2/kind",
        violation.get().detail());
  }

  @Test
  void aMissingPropertyIsReportedAtItsObject() {
    Optional<Violation> violation =
        check(
            jsonSchemaRequest(PERSON_SCHEMA),
            Answers.text("{\"name\":\"Ada\",\"age\":-1}", "stop"));
    assertEquals(Rule.SCHEMA_MISMATCH, ruleOf(violation));
    assertTrue(violation.get().detail().contains("(2 problems in all)"), violation.get().detail());
  }

  @Test
  void invalidJsonUnderASchemaIsInvalidJson() {
    assertEquals(
        Rule.INVALID_JSON,
        ruleOf(check(jsonSchemaRequest(PERSON_SCHEMA), Answers.text("{\"name\":\"A", "stop"))));
  }

  @Test
  void aSchemaThatCannotBeCompiledIsTheClientsProblem() {
    String[] broken = {
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"(\"}}}",
      "{\"$ref\":\"#/$defs/nowhere\"}",
      "{\"$ref\":\"https://schemas.example.invalid/person.json\"}",
    };
    for (String schema : broken) {
      assertEquals(
          Optional.empty(),
          check(jsonSchemaRequest(schema), Answers.text("{\"a\":1}", "stop")),
          schema);
    }
  }

  @Test
  void jsonSchemaWithoutASchemaOnlyNeedsValidJson() {
    ChatCompletionRequest noSchema =
        request("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\"}}");
    assertEquals(Optional.empty(), check(noSchema, Answers.text("[1,2]", "stop")));
    assertEquals(Rule.INVALID_JSON, ruleOf(check(noSchema, Answers.text("[1,2", "stop"))));
  }

  @Test
  void validatorsSharingACacheCompileASchemaOnce() {
    SchemaCache cache = new SchemaCache(8);
    var first = new ResponseValidator(ValidationPolicy.defaults(), cache);
    var second = new ResponseValidator(ValidationPolicy.defaults(), cache);
    Answers answer = Answers.text("{\"name\":\"Ada\"}", "stop");
    first.check(jsonSchemaRequest(PERSON_SCHEMA), answer.completion());
    second.check(jsonSchemaRequest(PERSON_SCHEMA), answer.completion());
    assertEquals(1, cache.size());
  }

  // --- repetition

  @Test
  void aLoopingAnswerIsRepetition() {
    Optional<Violation> violation =
        check(request(), Answers.text("Sure. " + "I am sorry. ".repeat(100), "length"));
    assertEquals(Rule.REPETITION, ruleOf(violation));
    assertEquals(
        "the same 12-character sequence repeats 33 times at the end of the output",
        violation.get().detail());
  }

  @Test
  void aLoopExplainsTheTruncatedJsonThatComesWithIt() {
    String looping = "{\"items\":[" + "{\"id\":1},".repeat(100);
    assertEquals(
        Rule.REPETITION, ruleOf(check(jsonObjectRequest(), Answers.text(looping, "length"))));
  }

  @Test
  void aLoopInToolArgumentsIsRepetition() {
    assertEquals(
        Rule.REPETITION,
        ruleOf(check(request(), Answers.toolCall("write", "{\"text\":\"" + "la ".repeat(300)))));
  }

  // --- missing usage

  @Test
  void missingUsageIsReportedOnlyWhenRequired() {
    Answers noUsage = Answers.text("Hello there.", "stop").withUsage(null);
    assertEquals(Optional.empty(), check(request(), noUsage));
    var strict = new ResponseValidator(new ValidationPolicy(true, 16, true, true, true));
    Optional<Violation> violation = strict.check(request(), noUsage.completion());
    assertEquals(Rule.MISSING_USAGE, ruleOf(violation));
    assertEquals("the upstream reported no token usage", violation.get().detail());
    assertEquals(
        Optional.empty(), strict.check(request(), Answers.text("Hello.", "stop").completion()));
  }

  // --- details and policy

  @Test
  void detailsNeverQuoteTheOutput() {
    String secret = "SECRET-7391";
    List<Optional<Violation>> violations =
        List.of(
            check(request(), Answers.text((secret + " ").repeat(60), "stop")),
            check(jsonObjectRequest(), Answers.text("{\"key\": " + secret + "}", "stop")),
            check(jsonObjectRequest(), Answers.text("{\"key\": \"" + secret, "length")),
            check(jsonObjectRequest(), Answers.text("[\"" + secret + "\"]", "stop")),
            check(
                jsonSchemaRequest(PERSON_SCHEMA),
                Answers.text("{\"name\":\"Ada\",\"age\":\"" + secret + "\",\"pets\":[]}", "stop")),
            check(request(), Answers.text(secret, "length").withUsage(TokenUsage.reported(5, 4))));
    for (Optional<Violation> violation : violations) {
      String detail = violation.orElseThrow().detail();
      assertFalse(detail.contains("SECRET"), detail);
      assertFalse(detail.contains("7391"), detail);
    }
  }

  @Test
  void noPolicyFlagsNothing() {
    var none = new ResponseValidator(ValidationPolicy.none());
    List<Completion> broken =
        List.of(
            Answers.text(null, "stop").completion(),
            Answers.text("The", "length").withUsage(null).completion(),
            Answers.text("{\"a\":", "stop").completion(),
            Answers.text("no ".repeat(500), "length").completion());
    for (Completion completion : broken) {
      assertEquals(Optional.empty(), none.check(jsonObjectRequest(), completion));
    }
    assertFalse(ValidationPolicy.none().any());
    assertTrue(ValidationPolicy.defaults().any());
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertEquals(new ValidationPolicy(true, 16, true, true, false), ValidationPolicy.defaults());
    assertThrows(
        IllegalArgumentException.class, () -> new ValidationPolicy(true, -1, true, true, false));
  }

  @Test
  void ruleLabelsAreStable() {
    assertEquals(
        List.of(
            "empty_content",
            "short_length",
            "invalid_json",
            "schema_mismatch",
            "repetition",
            "missing_usage"),
        Arrays.stream(Rule.values()).map(Rule::label).toList());
  }
}
