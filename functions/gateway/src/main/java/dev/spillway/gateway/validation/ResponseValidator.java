package dev.spillway.gateway.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ResponseFormat;
import dev.spillway.usage.TokenUsage;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Judges whether an upstream answer that arrived as {@code 200 OK} is usable, so that a broken one
 * can be retried or failed over like any other provider failure instead of reaching the client.
 *
 * <p>Rules, each switched by {@link ValidationPolicy}:
 *
 * <ol>
 *   <li>{@link Rule#REPETITION repetition}: the output ends in a loop ({@link RepetitionDetector}).
 *       Checked first, and while a stream is still running, because a loop also explains the length
 *       cut and the broken JSON that usually come with it.
 *   <li>{@link Rule#EMPTY_CONTENT empty content}: {@code finish_reason: stop} with content that is
 *       absent or only whitespace, no tool call and no refusal.
 *   <li>{@link Rule#SHORT_LENGTH short length}: {@code finish_reason: length} after fewer than
 *       {@link ValidationPolicy#minLengthTokens()} completion tokens, unless the request's {@code
 *       max_tokens} explains the cut.
 *   <li>{@link Rule#INVALID_JSON invalid JSON} and {@link Rule#SCHEMA_MISMATCH schema mismatch}:
 *       the request's {@code response_format} asks for JSON and the answer is content (no tool
 *       call, no refusal) that ended with {@code stop} or {@code length}. A length cut is checked
 *       too: truncated JSON is as useless to the client as malformed JSON.
 *   <li>{@link Rule#MISSING_USAGE missing usage}: no usage reported.
 * </ol>
 *
 * <p>The first rule that fails is reported. Only the first choice is judged: the gateway refuses
 * {@code n > 1}.
 *
 * <p>Thread-safe and immutable apart from its {@link SchemaCache}; build one per route.
 */
public final class ResponseValidator {

  /**
   * Trailing tokens fail: {@code {"a":1} and more} is not a JSON object, whatever a lenient reader
   * would make of it.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The request field that holds the client's schema, named in errors. */
  public static final String SCHEMA_FIELD = "response_format.json_schema.schema";

  /** Longest JSON pointer quoted in a detail; object keys in it come from the model. */
  private static final int MAX_POINTER_CHARS = 120;

  private final ValidationPolicy policy;
  private final SchemaCache schemas;

  /**
   * @param policy the rules to run
   * @param schemas compiled response schemas; may be shared by the validators of every route
   */
  public ResponseValidator(ValidationPolicy policy, SchemaCache schemas) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
  }

  /** A validator with a cache of its own of {@value SchemaCache#DEFAULT_CAPACITY} schemas. */
  public ResponseValidator(ValidationPolicy policy) {
    this(policy, new SchemaCache());
  }

  public ValidationPolicy policy() {
    return policy;
  }

  /**
   * Judges a whole non-streaming answer.
   *
   * @param request the request the answer is for
   * @param completion the answer in OpenAI's {@code chat.completion} shape
   * @return the first rule the answer breaks, or empty when it is usable
   */
  public Optional<Violation> check(ChatCompletionRequest request, Completion completion) {
    JsonNode choice = completion.body().path("choices").path(0);
    if (!choice.isObject()) {
      return policy.emptyContent()
          ? Optional.of(new Violation(Rule.EMPTY_CONTENT, "the answer has no choices"))
          : Optional.empty();
    }
    JsonNode message = choice.path("message");
    String content = textOrEmpty(message.get("content"));
    String refusal = textOrEmpty(message.get("refusal"));
    JsonNode calls = message.path("tool_calls");

    // The output text in the order ChatChunk.of reads it from a stream, so that both paths see
    // the same text and report the same loop.
    StringBuilder output = new StringBuilder(content);
    for (JsonNode call : calls) {
      output.append(call.path("function").path("name").asText(""));
      output.append(call.path("function").path("arguments").asText(""));
    }
    output.append(refusal);

    if (policy.repetition()) {
      RepetitionDetector detector = new RepetitionDetector();
      if (detector.append(output)) {
        return Optional.of(repetition(detector.loop().orElseThrow()));
      }
    }
    JsonNode finish = choice.get("finish_reason");
    return atEnd(
        request,
        new Answer(
            finish != null && finish.isTextual() ? finish.asText() : null,
            content,
            calls.isArray() && !calls.isEmpty(),
            !refusal.isEmpty(),
            output.length(),
            completion.usage()));
  }

  /**
   * Starts judging a streamed answer.
   *
   * @param request the request the stream answers
   * @return a checker for this one stream, to be fed its chunks in order from one thread
   */
  public StreamValidation start(ChatCompletionRequest request) {
    return new StreamValidation(
        this, Objects.requireNonNull(request, "request"), policy.repetition());
  }

  /**
   * The facts about a finished answer that the end-of-answer rules read.
   *
   * @param finishReason the first choice's finish reason, or null when it gave none
   * @param content the message content, empty when absent
   * @param toolCalls true when the model called at least one tool
   * @param refusal true when the model refused (structured outputs' {@code refusal})
   * @param outputChars characters of output: content, tool-call names and arguments, refusal
   * @param usage usage the upstream reported, or null
   */
  record Answer(
      String finishReason,
      String content,
      boolean toolCalls,
      boolean refusal,
      int outputChars,
      TokenUsage usage) {}

  /** The rules that need the whole answer, in the order documented on this class. */
  Optional<Violation> atEnd(ChatCompletionRequest request, Answer answer) {
    if (policy.emptyContent()) {
      Optional<Violation> empty = emptyContent(request, answer);
      if (empty.isPresent()) {
        return empty;
      }
    }
    if (policy.minLengthTokens() > 0) {
      Optional<Violation> shortLength = shortLength(request, answer);
      if (shortLength.isPresent()) {
        return shortLength;
      }
    }
    if (policy.json()) {
      Optional<Violation> json = json(request, answer);
      if (json.isPresent()) {
        return json;
      }
    }
    if (policy.requireUsage() && answer.usage() == null) {
      return Optional.of(new Violation(Rule.MISSING_USAGE, "the upstream reported no token usage"));
    }
    return Optional.empty();
  }

  static Violation repetition(RepetitionDetector.Loop loop) {
    return new Violation(
        Rule.REPETITION,
        "the same "
            + loop.period()
            + "-character sequence repeats "
            + loop.repeats()
            + " times at the end of the output");
  }

  private static Optional<Violation> emptyContent(ChatCompletionRequest request, Answer answer) {
    if (!"stop".equals(answer.finishReason()) || answer.toolCalls() || answer.refusal()) {
      return Optional.empty();
    }
    if (answer.content().isEmpty()) {
      return Optional.of(
          new Violation(
              Rule.EMPTY_CONTENT,
              "finish_reason is stop but the answer has no content, tool call or refusal",
              stopExplains(request)));
    }
    if (answer.content().isBlank()) {
      return Optional.of(
          new Violation(
              Rule.EMPTY_CONTENT,
              "finish_reason is stop but the content is only whitespace ("
                  + answer.content().length()
                  + " characters)",
              stopExplains(request)));
    }
    return Optional.empty();
  }

  /**
   * An empty answer to a request with stop sequences is most likely the client's doing: a stop
   * sequence the model emits first (a newline, a closing tag) cuts the answer to nothing.
   */
  private static String stopExplains(ChatCompletionRequest request) {
    return request.stop().isEmpty() ? null : "stop";
  }

  /**
   * Without reported usage the token count is estimated at four characters a token, which is right
   * for English and low for dense scripts. The estimate decides whether the cut was short; whether
   * {@code max_tokens} explains it is decided against the character count instead, an upper bound
   * on tokens, so that a client's small limit on Chinese text is never blamed on the provider.
   */
  private Optional<Violation> shortLength(ChatCompletionRequest request, Answer answer) {
    if (!"length".equals(answer.finishReason())) {
      return Optional.empty();
    }
    boolean reported = answer.usage() != null;
    int tokens = reported ? answer.usage().completionTokens() : (answer.outputChars() + 3) / 4;
    if (tokens >= policy.minLengthTokens()) {
      return Optional.empty();
    }
    int mostTokens = reported ? tokens : answer.outputChars();
    Integer maxTokens = request.maxTokens();
    if (maxTokens != null && maxTokens <= mostTokens + 1) {
      return Optional.empty();
    }
    return Optional.of(
        new Violation(
            Rule.SHORT_LENGTH,
            "finish_reason is length after "
                + (reported ? "" : "an estimated ")
                + tokens
                + " completion tokens, fewer than "
                + policy.minLengthTokens()
                + (maxTokens == null
                    ? ", and the request set no max_tokens"
                    : ", while the request allowed " + maxTokens)));
  }

  private Optional<Violation> json(ChatCompletionRequest request, Answer answer) {
    ResponseFormat format = request.responseFormat();
    boolean finished =
        "stop".equals(answer.finishReason()) || "length".equals(answer.finishReason());
    if (!format.wantsJson() || !finished || answer.toolCalls() || answer.refusal()) {
      return Optional.empty();
    }
    String content = answer.content();
    if (content.isBlank()) {
      return Optional.of(new Violation(Rule.INVALID_JSON, "content is empty, not JSON"));
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
      if (truncated(content, e, at)) {
        return Optional.of(
            new Violation(
                Rule.INVALID_JSON,
                "content is not valid JSON (truncated at character " + content.length() + ")",
                maxTokensExplains(request, answer)));
      }
      return Optional.of(
          new Violation(
              Rule.INVALID_JSON,
              at < 0
                  ? "content is not valid JSON"
                  : "content is not valid JSON (unexpected input at character " + at + ")"));
    }
    if (format.type() == ResponseFormat.Type.JSON_OBJECT && !parsed.isObject()) {
      return Optional.of(
          new Violation(
              Rule.INVALID_JSON,
              "content is JSON but "
                  + parsed.getNodeType().name().toLowerCase(Locale.ROOT)
                  + ", not an object"));
    }
    if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
      return schemaMismatch(format.schema(), parsed);
    }
    return Optional.empty();
  }

  /**
   * A schema that cannot be compiled was refused when the request arrived (it can only be missing
   * here if the cache dropped it and it compiles differently now, which it does not); one that
   * fails while validating is the client's schema's fault: either way the answer is let through
   * rather than blamed on the provider.
   */
  private Optional<Violation> schemaMismatch(JsonNode schema, JsonNode parsed) {
    if (!(schemas.get(schema) instanceof CompiledSchema.Usable usable)) {
      return Optional.empty();
    }
    Set<ValidationMessage> problems;
    try {
      problems = usable.schema().validate(parsed);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    ValidationMessage first = problems.iterator().next();
    String pointer = first.getInstanceLocation().toString();
    if (pointer.isEmpty()) {
      pointer = "/";
    } else if (pointer.length() > MAX_POINTER_CHARS) {
      pointer = pointer.substring(0, MAX_POINTER_CHARS) + "...";
    }
    return Optional.of(
        new Violation(
            Rule.SCHEMA_MISMATCH,
            "content does not match the response schema: '"
                + first.getType()
                + "' fails at "
                + pointer
                + (problems.size() == 1 ? "" : " (" + problems.size() + " problems in all)"),
            SCHEMA_FIELD));
  }

  /**
   * JSON cut by a length stop that the client's own {@code max_tokens} explains: the limit, not the
   * provider, left the answer unfinished.
   */
  private static String maxTokensExplains(ChatCompletionRequest request, Answer answer) {
    Integer maxTokens = request.maxTokens();
    if (!"length".equals(answer.finishReason()) || maxTokens == null) {
      return null;
    }
    // Without reported usage, characters bound the tokens from above (as in shortLength).
    int mostTokens =
        answer.usage() != null ? answer.usage().completionTokens() : answer.outputChars();
    return maxTokens <= mostTokens + 1 ? "max_tokens" : null;
  }

  /**
   * Whether JSON broke because it stopped, not because it went wrong: the parser ran out of input,
   * or failed at the very end, or on a literal cut short (a final {@code "ok": tr}). Truncation
   * points at a length cut or a dropped stream; malformed JSON points at the model.
   */
  private static boolean truncated(String content, JsonProcessingException e, long at) {
    if (e instanceof JsonEOFException) {
      return true;
    }
    if (at < 0) {
      return false;
    }
    String rest = content.substring((int) Math.min(at, content.length())).stripTrailing();
    return rest.isEmpty()
        || (rest.length() < 5
            && ("true".startsWith(rest) || "false".startsWith(rest) || "null".startsWith(rest)));
  }

  private static String textOrEmpty(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : "";
  }
}
