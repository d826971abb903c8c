package dev.spillway.simulator.completion;

import dev.spillway.simulator.OutcomeReplay;
import dev.spillway.simulator.completion.Completion.Finish;
import dev.spillway.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides the content of an answer: text, tool-call arguments or JSON, with the content faults
 * ({@code empty}, {@code truncated-json}, {@code invalid-json}) and the {@code max_tokens} cut
 * applied.
 *
 * <p>Content comes from a generator seeded with the simulator seed and a hash of the request body,
 * so the same body always gets the same answer. Stateless and thread-safe.
 */
public final class CompletionPlanner {

  /** JSON documents are emitted in pieces of this many characters, about one token each. */
  static final int JSON_PIECE_CHARS = 4;

  private static final String INVALID_JSON_PREFIX = "Sure! Here is the answer you asked for:";

  private final TextGenerator text;
  private final SchemaInstanceGenerator schemas;
  private final OutcomeReplay outcomes;

  public CompletionPlanner(TextGenerator text, SchemaInstanceGenerator schemas) {
    this(text, schemas, null);
  }

  /**
   * @param outcomes recorded outcomes that mapped models replay on the prompts they hold (null:
   *     none)
   */
  public CompletionPlanner(
      TextGenerator text, SchemaInstanceGenerator schemas, OutcomeReplay outcomes) {
    this.text = text;
    this.schemas = schemas;
    this.outcomes = outcomes;
  }

  /**
   * Plans the answer to one request.
   *
   * @param request the parsed request
   * @param model the model name to echo, without directives
   * @param scenario the request's settled behaviour
   * @param contentSeed seed derived from the simulator seed and the request body
   * @param createdEpochSeconds the creation time to report
   */
  public Completion plan(
      CompletionRequest request,
      String model,
      Scenario scenario,
      long contentSeed,
      long createdEpochSeconds) {
    SplittableRandom random = new SplittableRandom(contentSeed);
    String uid = uid(scenario.timingSeed());
    int tokens = scenario.profile().outputTokens();
    OutputShape shape = request.output();

    String toolName = null;
    List<String> pieces;
    Finish finish = Finish.STOP;
    switch (scenario.fault()) {
      case EMPTY -> pieces = List.of();
      case INVALID_JSON -> {
        pieces = new ArrayList<>(List.of(INVALID_JSON_PREFIX.split("(?= )")));
        pieces.addAll(text.pieces(random, tokens, true));
      }
      case TRUNCATED_JSON -> {
        String document = jsonDocument(shape, random, tokens);
        pieces = split(document.substring(0, document.length() / 2));
      }
      default -> {
        if (shape instanceof OutputShape.ToolCall call) {
          toolName = call.name();
          finish = Finish.TOOL_CALL;
          pieces = split(schemas.generate(call.parameters(), random));
        } else if (shape instanceof OutputShape.Text) {
          pieces = replayed(request, model, random, tokens);
        } else if (shape instanceof OutputShape.JsonObject) {
          pieces = answerObjectPieces(random, tokens);
        } else {
          pieces = split(jsonDocument(shape, random, tokens));
        }
      }
    }

    if (request.maxTokens().isPresent() && pieces.size() > request.maxTokens().getAsInt()) {
      pieces = pieces.subList(0, request.maxTokens().getAsInt());
      finish = Finish.LENGTH;
    }
    return new Completion(
        uid,
        createdEpochSeconds,
        model,
        toolName,
        pieces,
        finish,
        request.promptTokens(),
        request.includeUsage(),
        scenario.omitUsage());
  }

  /**
   * A text answer: under outcome replay, "The answer is X." with the letter the recorded outcome
   * calls for, then generated words up to the profile's length (so token counts stay realistic);
   * generated text otherwise.
   */
  private List<String> replayed(
      CompletionRequest request, String model, SplittableRandom random, int tokens) {
    java.util.Optional<Boolean> correct =
        outcomes == null
            ? java.util.Optional.empty()
            : outcomes.correct(model, request.lastUserText());
    if (correct.isEmpty()) {
      return text.pieces(random, tokens, false);
    }
    char letter = OutcomeReplay.answerLetter(request.lastUserText(), correct.get());
    List<String> pieces = new ArrayList<>(List.of("The", " answer", " is", " " + letter, "."));
    if (tokens > pieces.size()) {
      pieces.addAll(text.pieces(random, tokens - pieces.size(), true));
    }
    return pieces;
  }

  /** The JSON answer for a JSON-mode request; prose wrapped in an object otherwise. */
  private String jsonDocument(OutputShape shape, SplittableRandom random, int tokens) {
    if (shape instanceof OutputShape.JsonSchema schema) {
      return schemas.generate(schema.schema(), random);
    }
    if (shape instanceof OutputShape.ToolCall call) {
      return schemas.generate(call.parameters(), random);
    }
    return String.join("", answerObjectPieces(random, tokens));
  }

  /** {@code {"answer":"..."}} in token-aligned pieces: the opening, one per word, the closing. */
  private List<String> answerObjectPieces(SplittableRandom random, int tokens) {
    List<String> pieces = new ArrayList<>(tokens + 2);
    pieces.add("{\"answer\":\"");
    pieces.addAll(text.pieces(random, tokens, false));
    pieces.add("\"}");
    return pieces;
  }

  /** Splits text into pieces of {@link #JSON_PIECE_CHARS}, never inside a surrogate pair. */
  static List<String> split(String document) {
    List<String> pieces = new ArrayList<>(document.length() / JSON_PIECE_CHARS + 1);
    int start = 0;
    while (start < document.length()) {
      int end = Math.min(start + JSON_PIECE_CHARS, document.length());
      if (end < document.length() && Character.isHighSurrogate(document.charAt(end - 1))) {
        end++;
      }
      pieces.add(document.substring(start, end));
      start = end;
    }
    return pieces;
  }

  private static String uid(long seed) {
    String hex = Long.toHexString(seed);
    return "sim" + "0".repeat(16 - hex.length()) + hex;
  }
}
