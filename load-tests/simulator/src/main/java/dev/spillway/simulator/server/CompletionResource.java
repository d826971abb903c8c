package dev.spillway.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.ModelProfile;
import dev.spillway.simulator.completion.Completion;
import dev.spillway.simulator.completion.CompletionRequest;
import dev.spillway.simulator.provider.ApiError;
import dev.spillway.simulator.provider.InvalidRequestException;
import dev.spillway.simulator.provider.ProviderDialect;
import dev.spillway.simulator.ratelimit.RateDecision;
import dev.spillway.simulator.scenario.CutPoint;
import dev.spillway.simulator.scenario.Directives;
import dev.spillway.simulator.scenario.Scenario;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A chat endpoint in one dialect: validates the request, settles its scenario, then answers,
 * streams or misbehaves as the scenario says. Thread-safe: it keeps no per-request state; that
 * lives in a {@link CompletionExchange}.
 */
final class CompletionResource {

  private final Vertx vertx;
  private final SimulatorRuntime runtime;
  private final ProviderDialect dialect;
  private final Endpoint endpoint;

  CompletionResource(
      Vertx vertx, SimulatorRuntime runtime, ProviderDialect dialect, Endpoint endpoint) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.dialect = dialect;
    this.endpoint = endpoint;
  }

  void handle(HttpServerRequest request) {
    runtime.stats().requestStarted(endpoint);
    CompletionExchange exchange = new CompletionExchange(vertx, request, runtime.stats());
    // A body that never completes (client gone) ends the exchange through its close handler.
    request.bodyHandler(body -> onBody(exchange, body));
  }

  private void onBody(CompletionExchange exchange, Buffer body) {
    HttpServerRequest request = exchange.request();
    if (!ApiKeys.authorised(request, runtime.options().apiKey())) {
      error(exchange, ApiError.AUTHENTICATION, "Incorrect or missing API key.", null, 0);
      return;
    }
    byte[] bytes = body.getBytes();
    CompletionRequest parsed;
    Directives.ModelName model;
    Directives directives;
    try {
      JsonNode json = runtime.json().readTree(bytes);
      if (json == null || json.isMissingNode()) {
        throw new InvalidRequestException("request body is empty; expected a JSON object", null);
      }
      parsed = dialect.parse(json);
      model = Directives.parseModel(parsed.model());
      directives = model.directives().overriddenBy(Directives.fromHeaders(request::getHeader));
    } catch (IOException e) {
      error(
          exchange,
          ApiError.INVALID_REQUEST,
          "We could not parse the JSON body of your request: it is not valid JSON.",
          null,
          0);
      return;
    } catch (InvalidRequestException e) {
      error(exchange, ApiError.INVALID_REQUEST, e.getMessage(), e.param(), 0);
      return;
    } catch (IllegalArgumentException e) {
      error(exchange, ApiError.INVALID_REQUEST, e.getMessage(), null, 0);
      return;
    }
    if (parsed.continuation()) {
      runtime.stats().continuation();
    }

    Scenario scenario =
        runtime
            .scenarios()
            .plan(model.name(), directives, runtime.nextSequence(), runtime.faultRates());
    Fault fault = scenario.fault();
    if (fault != Fault.NONE) {
      runtime.stats().faultInjected(fault);
    }
    long retryAfter = scenario.retryAfterSeconds().orElse(0);
    switch (fault) {
      case RATE_LIMITED ->
          error(
              exchange,
              ApiError.RATE_LIMITED,
              "Rate limit reached (simulated). Please try again later.",
              null,
              retryAfter);
      case SERVER_ERROR ->
          error(
              exchange,
              ApiError.SERVER_ERROR,
              "The server had an error while processing your request (simulated).",
              null,
              0);
      case UNAVAILABLE ->
          error(
              exchange,
              ApiError.UNAVAILABLE,
              "The server is overloaded or not ready yet (simulated).",
              null,
              retryAfter);
      case RESET -> exchange.resetConnection();
      case STALL_FIRST -> {
        if (parsed.stream()) {
          exchange.startStream();
        }
        exchange.stallThenClose(scenario.stallMillis());
      }
      default -> answer(exchange, parsed, model.name(), scenario, bytes);
    }
  }

  private void answer(
      CompletionExchange exchange,
      CompletionRequest parsed,
      String modelName,
      Scenario scenario,
      byte[] body) {
    Completion completion =
        runtime
            .completions()
            .plan(
                parsed,
                modelName,
                scenario,
                contentSeed(runtime.options().seed(), body),
                System.currentTimeMillis() / 1000);

    Optional<RateDecision> refusal =
        runtime
            .tokenBucket()
            .map(
                bucket ->
                    bucket.tryTake((long) parsed.promptTokens() + completion.completionTokens()))
            .filter(decision -> !decision.allowed());
    if (refusal.isPresent()) {
      runtime.stats().rateLimited();
      error(
          exchange,
          ApiError.RATE_LIMITED,
          "Rate limit reached for tokens per minute (TPM): limit "
              + runtime.options().tokensPerMinute()
              + ". Please try again in "
              + refusal.get().retryAfterSeconds()
              + "s.",
          null,
          refusal.get().retryAfterSeconds());
      return;
    }
    runtime.stats().completionTokens(completion.completionTokens());
    runtime
        .stats()
        .tokensServed(
            System.currentTimeMillis(),
            (long) parsed.promptTokens() + completion.completionTokens());

    ModelProfile profile = scenario.profile();
    SplittableRandom timing = new SplittableRandom(scenario.timingSeed());
    Fault fault = scenario.fault();
    if (parsed.stream()) {
      if (fault == Fault.MALFORMED_BODY) {
        exchange.after(
            profile.sampleTtftMillis(timing),
            () -> {
              exchange.startStream();
              StringBuilder events = new StringBuilder(256);
              dialect.streamEncoder(completion).malformedFrame(events);
              exchange.endStream(events);
            });
        return;
      }
      StreamPlayback.Ending ending =
          switch (fault) {
            case STALL_MID -> StreamPlayback.Ending.STALL;
            case CUT_MID -> StreamPlayback.Ending.CUT;
            default -> StreamPlayback.Ending.COMPLETE;
          };
      int stopAt =
          ending == StreamPlayback.Ending.COMPLETE
              ? completion.completionTokens()
              : scenario.tokensBeforeCut(completion.completionTokens());
      new StreamPlayback(
              exchange,
              dialect.streamEncoder(completion),
              profile,
              timing,
              stopAt,
              ending,
              scenario.stallMillis())
          .start();
      return;
    }

    // A non-streamed answer arrives when the last token would have: TTFT plus the gaps.
    long delay = profile.sampleTtftMillis(timing);
    for (int i = 1; i < completion.completionTokens(); i++) {
      delay += profile.sampleItlMillis(timing);
    }
    exchange.after(
        delay,
        () -> {
          String json = dialect.completionBody(completion);
          switch (fault) {
            case MALFORMED_BODY -> exchange.sendJson(200, json.substring(0, json.length() / 2));
            case STALL_MID ->
                exchange.sendPartialJson(
                    json,
                    partialBody(json, completion, scenario),
                    () -> exchange.stallThenClose(scenario.stallMillis()));
            case CUT_MID ->
                exchange.sendPartialJson(
                    json, partialBody(json, completion, scenario), exchange::closeConnection);
            default -> exchange.sendJson(200, json);
          }
        });
  }

  /**
   * What a broken non-streamed answer delivers of its body: half of it by default, or with a cut
   * point ({@code cut-at}) everything up to the end of that many tokens of the answer.
   */
  private String partialBody(String json, Completion completion, Scenario scenario) {
    if (scenario.cutPoint() instanceof CutPoint.Half) {
      return json.substring(0, json.length() / 2);
    }
    return dialect.completionBodyPrefix(
        completion, scenario.tokensBeforeCut(completion.completionTokens()));
  }

  private void error(
      CompletionExchange exchange, ApiError error, String message, String param, long retryAfter) {
    exchange.sendError(error.status(), dialect.errorBody(error, message, param), retryAfter);
  }

  /**
   * Seed of the answer's content: the simulator seed and an FNV-1a hash of the body, so the same
   * body always gets the same answer whatever else is going on.
   */
  static long contentSeed(long seed, byte[] body) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : body) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return seed * 0x9E3779B97F4A7C15L ^ hash;
  }
}
