package dev.spillway.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.dispatch.DispatchRequest;
import dev.spillway.gateway.dispatch.Dispatched;
import dev.spillway.gateway.dispatch.Dispatcher;
import dev.spillway.gateway.drift.QuerySampler;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.quota.QuotaCaller;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.quota.QuotaTicket;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.RoutingPolicy;
import dev.spillway.gateway.routing.Target;
import dev.spillway.gateway.routing.quality.ShadowSampler;
import dev.spillway.openai.ChatCompletionRequest;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /v1/chat/completions}, JSON and SSE, on a plain Vert.x route.
 *
 * <p>Why not a Quarkus REST resource like the other endpoints: one path answers either JSON or an
 * event stream depending on the body, and the 200 must wait for the upstream's first output; a
 * Vert.x route controls exactly when the status is committed, backpressure on every write, and what
 * a client disconnect cancels. Everything runs on the event loop and nothing blocks.
 *
 * <p>The request path: authenticate → parse → route (configured order, or for an {@code auto} route
 * the cheapest target that keeps the prompt's category at its floor; see {@link
 * dev.spillway.gateway.routing.quality.QualityFloorPolicy}) → admit against the caller's quota
 * (when {@code gateway.quota.url} is set; see {@link dev.spillway.gateway.quota.QuotaAdmission}) →
 * dispatch (provider-account quota, admission, breakers, deadlines, retries, hedging, fallback,
 * validation; see {@link Dispatcher}) → respond → settle the quota and account. An admitted request
 * may also be sampled for drift scoring ({@link QuerySampler}).
 */
@ApplicationScoped
public class ChatCompletionsRoute {

  static final String PATH = "/v1/chat/completions";

  private final RequestAuthenticator authenticator;
  private final ChatRequestReader reader;
  private final RoutingPolicy policy;
  private final Dispatcher dispatcher;
  private final UsageAccountant accountant;
  private final ErrorResponses errors;
  private final ObjectMapper mapper;
  private final QuotaRuntime quota;
  private final QuotaGate gate;
  private final QuerySampler sampler;
  private final ShadowSampler shadow;
  private final int maxBodyBytes;

  public ChatCompletionsRoute(
      RequestAuthenticator authenticator,
      ChatRequestReader reader,
      RoutingPolicy policy,
      Dispatcher dispatcher,
      UsageAccountant accountant,
      ErrorResponses errors,
      ObjectMapper mapper,
      GatewayConfig config,
      QuotaRuntime quota,
      QuerySampler sampler,
      ShadowSampler shadow) {
    this.quota = quota;
    this.shadow = shadow;
    this.gate = new QuotaGate(quota);
    this.sampler = sampler;
    this.authenticator = authenticator;
    this.reader = reader;
    this.policy = policy;
    this.dispatcher = dispatcher;
    this.accountant = accountant;
    this.errors = errors;
    this.mapper = mapper;
    this.maxBodyBytes = config.limits().maxBodyBytes();
  }

  void register(@Observes Router router) {
    // Its own route: Vert.x wants a body handler first on a route, and this check must precede it.
    router.route(HttpMethod.POST, PATH).order(-101).handler(this::requireJsonContentType);
    router
        .route(HttpMethod.POST, PATH)
        .order(-100)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::handle)
        .failureHandler(this::routeFailed);
    router
        .route(PATH)
        .order(-99)
        .handler(
            ctx ->
                writeError(
                    ctx.response(),
                    errors.render(
                        new ApiException(ApiError.METHOD_NOT_ALLOWED, "Use POST for " + PATH + "."),
                        "-")));
  }

  /**
   * Form-encoded bodies (what {@code curl -d} sends unless told otherwise) would be decoded as
   * forms before the handler sees them; refuse them with a 415 that says what to send. A missing
   * Content-Type is accepted and parsed as JSON.
   */
  private void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null
        && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
            || type.regionMatches(true, 0, "multipart/", 0, 10))) {
      writeError(
          ctx.response(),
          errors.render(
              new ApiException(
                  ApiError.UNSUPPORTED_MEDIA_TYPE,
                  "Send the request body as JSON with 'Content-Type: application/json'."),
              "-"));
      return;
    }
    ctx.next();
  }

  private void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String requestId = RequestIds.next();
    HttpServerResponse response = ctx.response();
    response.putHeader(SpillwayHeaders.REQUEST_ID, requestId);
    EventLoopExecutor loop = EventLoopExecutor.current(ctx.vertx());
    authenticator
        .authenticate(ctx.request().getHeader("authorization"))
        .thenAccept(
            outcome ->
                loop.execute(
                    () -> {
                      if (outcome instanceof RequestAuthenticator.Refused refused) {
                        writeError(response, errors.render(refused.error(), requestId));
                      } else {
                        proceed(
                            ctx, start, requestId, (RequestAuthenticator.Authenticated) outcome);
                      }
                    }));
  }

  /** After authentication: parse, route, admit against the quota, dispatch. */
  private void proceed(
      RoutingContext ctx,
      long start,
      String requestId,
      RequestAuthenticator.Authenticated authenticated) {
    HttpServerResponse response = ctx.response();
    Caller caller = authenticated.caller();
    QuotaCaller quotaCaller = authenticated.quota();
    ChatRequestReader.Parsed parsed;
    CompletableFuture<RouteDecision> decision;
    try {
      parsed =
          reader.read(
              ctx.body().buffer(), ctx.request().getHeader(SpillwayHeaders.TIMEOUT_MS), start);
      decision =
          policy
              .decide(
                  parsed.route(),
                  parsed.request(),
                  ctx.request().getHeader(SpillwayHeaders.CATEGORY),
                  caller)
              .toCompletableFuture();
    } catch (RuntimeException refused) {
      Exchange.putRateLimitHeaders(response, quota, quotaCaller);
      writeError(response, errors.render(refused, requestId));
      return;
    }
    EventLoopExecutor loop = EventLoopExecutor.current(ctx.vertx());
    if (decision.isDone()) {
      // Configured order, or decided in memory: no hop back to the loop.
      routed(ctx, start, requestId, authenticated, parsed, decision, loop);
    } else {
      decision.whenComplete(
          (ignored, failure) ->
              loop.execute(
                  () -> routed(ctx, start, requestId, authenticated, parsed, decision, loop)));
    }
  }

  /** After the route stage: a refused route is answered, a decision goes to the admit stage. */
  private void routed(
      RoutingContext ctx,
      long start,
      String requestId,
      RequestAuthenticator.Authenticated authenticated,
      ChatRequestReader.Parsed parsed,
      CompletableFuture<RouteDecision> routing,
      EventLoopExecutor loop) {
    HttpServerResponse response = ctx.response();
    Caller caller = authenticated.caller();
    QuotaCaller quotaCaller = authenticated.quota();
    RouteDecision decision;
    try {
      decision = routing.join();
    } catch (CompletionException refused) {
      Exchange.putRateLimitHeaders(response, quota, quotaCaller);
      writeError(response, errors.render(refused.getCause(), requestId));
      return;
    }
    if (decision.reason() != null) {
      // Before admission, so that a refusal too says how the request was routed.
      if (decision.category() != null) {
        response.putHeader(SpillwayHeaders.ROUTE_CATEGORY, decision.category());
      }
      response.putHeader(SpillwayHeaders.ROUTE_REASON, decision.reason());
    }
    CompletableFuture<Admission> admission =
        gate.admit(requestId, start, caller, quotaCaller, parsed, decision, loop)
            .toCompletableFuture();
    if (admission.isDone()) {
      // Quota off, or decided in memory: no hop back to the loop.
      decided(ctx, admission.join(), loop);
    } else {
      admission.thenAccept(admitted -> loop.execute(() -> decided(ctx, admitted, loop)));
    }
  }

  /** After the admit stage: a refusal is answered, an admitted request is dispatched. */
  private void decided(RoutingContext ctx, Admission admission, EventLoopExecutor loop) {
    HttpServerResponse response = ctx.response();
    if (admission instanceof Admission.Refused refused) {
      Exchange.putRateLimitHeaders(response, quota, refused.quotaCaller());
      writeError(response, errors.render(refused.cause(), refused.requestId()));
      return;
    }
    Admission.Admitted admitted = (Admission.Admitted) admission;
    if (response.closed()) {
      // The client left while its admission waited for a renewal.
      ChatRequestReader.Parsed parsed = admitted.parsed();
      RequestRecord record =
          new RequestRecord(
              admitted.requestId(),
              admitted.caller(),
              parsed.route().name(),
              null,
              null,
              parsed.request().stream(),
              -1,
              System.nanoTime() - admitted.startNanos(),
              Outcome.CLIENT_CANCELLED,
              0,
              BigDecimal.ZERO.setScale(dev.spillway.usage.Price.COST_SCALE),
              false,
              admitted.routing());
      admitted.ticket().settle(record);
      accountant.settle(record);
      return;
    }
    dispatch(ctx, admitted, loop);
  }

  private void dispatch(RoutingContext ctx, Admission.Admitted admitted, EventLoopExecutor loop) {
    String requestId = admitted.requestId();
    long start = admitted.startNanos();
    Caller caller = admitted.caller();
    QuotaCaller quotaCaller = admitted.quotaCaller();
    QuotaTicket ticket = admitted.ticket();
    ChatCompletionRequest request = admitted.parsed().request();
    Route route = admitted.parsed().route();
    long deadline = admitted.parsed().deadlineNanos();
    List<Target> candidates = admitted.candidates();
    HttpServerResponse response = ctx.response();
    DispatchRequest dispatch =
        new DispatchRequest(
            request,
            requestId,
            route.name(),
            route.rules(),
            candidates,
            caller,
            deadline,
            loop,
            ticket.upstream());
    Exchange exchange =
        new Exchange(
            requestId,
            start,
            caller,
            route.name(),
            request,
            dispatch,
            quotaCaller,
            ticket,
            quota,
            admitted.routing());
    if (exchange.request().stream()) {
      new SseRelay(exchange, response, accountant, errors, mapper, shadow, route)
          .start(dispatcher.stream(exchange.dispatch()));
    } else {
      // Event-loop confined; an AtomicBoolean only because lambdas need a final holder.
      AtomicBoolean answered = new AtomicBoolean();
      Cancellable pending =
          dispatcher
              .complete(exchange.dispatch())
              .subscribe()
              .with(
                  done -> {
                    if (answered.compareAndSet(false, true)) {
                      respond(response, exchange, done, route, loop);
                    }
                  },
                  failure -> {
                    if (answered.compareAndSet(false, true)) {
                      respondFailure(response, exchange, failure);
                    }
                  });
      response.closeHandler(
          ignored -> {
            if (answered.compareAndSet(false, true)) {
              pending.cancel();
              exchange.settle(
                  accountant, exchange.record(null, null, -1, Outcome.CLIENT_CANCELLED, 0));
            }
          });
    }
    sample(requestId, caller, route.name(), request);
  }

  /**
   * Offers the request for drift sampling once the gateway has admitted it (key, body, route and
   * the caller's quota all passed), and after its dispatch has started, so that sampling adds
   * nothing to the upstream's start. What the upstream then does is not waited for: the query was a
   * real one whatever the answer.
   */
  private void sample(
      String requestId, Caller caller, String route, ChatCompletionRequest request) {
    try {
      sampler.offer(requestId, caller, route, request);
    } catch (RuntimeException bug) {
      // A sample is never worth a request: the client's answer is already on its way. Only the
      // exception's class above DEBUG, in case its message quotes the prompt.
      Log.warnf("request %s: drift sampling failed (%s)", requestId, bug.getClass().getName());
      Log.debugf(bug, "request %s: drift sampling failed", requestId);
    }
  }

  private void respond(
      HttpServerResponse response,
      Exchange exchange,
      Dispatched<Completion> dispatched,
      Route route,
      EventLoopExecutor loop) {
    try {
      answer(response, exchange, dispatched, route, loop);
    } catch (RuntimeException bug) {
      // Mutiny would swallow an exception thrown here: the client must still get an answer.
      respondFailure(response, exchange, bug);
    }
  }

  private void answer(
      HttpServerResponse response,
      Exchange exchange,
      Dispatched<Completion> dispatched,
      Route route,
      EventLoopExecutor loop) {
    Completion completion = dispatched.result();
    Target target = dispatched.target();
    ObjectNode body = completion.body();
    long end = System.nanoTime();
    accountant
        .usage(completion.usage(), exchange.request(), target.model(), outputText(body))
        .subscribe()
        .with(
            usage -> {
              if (completion.usage() == null) {
                // Clients and their cost dashboards expect usage on every completion.
                body.putObject("usage")
                    .put("prompt_tokens", usage.promptTokens())
                    .put("completion_tokens", usage.completionTokens())
                    .put("total_tokens", usage.totalTokens());
              }
              RequestRecord record =
                  exchange.record(target, usage, -1, Outcome.SUCCESS, dispatched.attempts(), end);
              BigDecimal cost = record.cost();
              // Settled before the headers are written: the remaining budget shows the refund.
              exchange.ticket().settle(record);
              if (!response.closed()) {
                exchange.rateLimitHeaders(response);
                response
                    .setStatusCode(200)
                    .putHeader("content-type", "application/json")
                    .putHeader(SpillwayHeaders.PROVIDER, target.provider().name())
                    .putHeader(SpillwayHeaders.UPSTREAM_MODEL, target.model())
                    .putHeader(SpillwayHeaders.ATTEMPTS, Integer.toString(dispatched.attempts()))
                    .putHeader(SpillwayHeaders.COST_USD, cost.toPlainString())
                    .end(Buffer.buffer(encode(body)));
              }
              // Before the usage event leaves: whoever waits for it sees the shadow begun.
              offerShadow(exchange, route, target, body, usage, loop);
              accountant.settle(record);
            },
            failure -> respondFailure(response, exchange, failure));
  }

  /**
   * After the client has its answer: an {@code auto} route may shadow it on its strongest target.
   */
  private void offerShadow(
      Exchange exchange,
      Route route,
      Target target,
      ObjectNode body,
      dev.spillway.usage.TokenUsage usage,
      EventLoopExecutor loop) {
    try {
      shadow.offer(
          exchange.requestId(),
          exchange.caller(),
          route,
          exchange.request(),
          exchange.routing(),
          target,
          outputText(body),
          usage,
          loop);
    } catch (RuntimeException bug) {
      // A shadow is never worth a request; only the class above DEBUG, as for drift samples.
      Log.warnf(
          "request %s: shadow sampling failed (%s)",
          exchange.requestId(), bug.getClass().getName());
      Log.debugf(bug, "request %s: shadow sampling failed", exchange.requestId());
    }
  }

  private void respondFailure(HttpServerResponse response, Exchange exchange, Throwable failure) {
    RequestRecord record = exchange.failed(failure);
    exchange.ticket().settle(record);
    if (!response.closed()) {
      exchange.rateLimitHeaders(response);
      writeError(response, errors.render(failure, exchange.requestId()));
    }
    accountant.settle(record);
  }

  /** Body-size overflows and anything else that fails the route before or around the handler. */
  private void routeFailed(RoutingContext ctx) {
    String requestId = ctx.response().headers().get(SpillwayHeaders.REQUEST_ID);
    Throwable failure = ctx.failure();
    if (ctx.statusCode() == 413) {
      failure =
          new ApiException(
              ApiError.BODY_TOO_LARGE,
              "The request body is larger than the limit of " + maxBodyBytes + " bytes.");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // The body could not be read as sent; the cause's message may quote it, so it is dropped.
      failure =
          new ApiException(
              ApiError.INVALID_REQUEST,
              "The request body could not be read; send it as JSON with 'Content-Type: application/json'.");
    } else if (failure == null) {
      failure = new IllegalStateException("route failed with status " + ctx.statusCode());
    }
    if (!ctx.response().headWritten()) {
      writeError(ctx.response(), errors.render(failure, requestId == null ? "-" : requestId));
    }
  }

  private static String outputText(ObjectNode completion) {
    StringBuilder text = new StringBuilder();
    for (JsonNode choice : completion.path("choices")) {
      JsonNode message = choice.path("message");
      text.append(message.path("content").asText(""));
      for (JsonNode call : message.path("tool_calls")) {
        text.append(call.path("function").path("name").asText(""));
        text.append(call.path("function").path("arguments").asText(""));
      }
    }
    return text.toString();
  }

  private byte[] encode(JsonNode json) {
    try {
      return mapper.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Writes an error in OpenAI's shape and ends the response. */
  static void writeError(HttpServerResponse response, ErrorResponses.Rendered rendered) {
    response.setStatusCode(rendered.status()).putHeader("content-type", "application/json");
    if (rendered.retryAfterSeconds() >= 0) {
      response.putHeader("retry-after", Long.toString(rendered.retryAfterSeconds()));
    }
    if (rendered.retryAfterMillis() >= 0) {
      response.putHeader("retry-after-ms", Long.toString(rendered.retryAfterMillis()));
    }
    response.end(rendered.body().toJson().toString());
  }
}
