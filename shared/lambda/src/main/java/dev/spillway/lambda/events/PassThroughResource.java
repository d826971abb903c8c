package dev.spillway.lambda.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The Lambda Web Adapter's pass-through path ({@code AWS_LWA_PASS_THROUGH_PATH=/events}): the
 * adapter POSTs every non-HTTP invocation here — SQS batches, EventBridge events, scheduler
 * invocations — and returns the answer as the invocation's result, so an SQS batch is answered with
 * {@code batchItemFailures}.
 *
 * <p>A function URL caller cannot reach it: the adapter adds {@code x-amzn-request-context} to
 * every request it makes from an HTTP invocation (function URL, API Gateway, ALB) and to none it
 * makes from a pass-through event, and a request that has it is answered 404 as if the path did not
 * exist. Failures of a single event propagate to the function's own error mapping (an {@link
 * InvalidEventException} is a 4xx there, anything else a 5xx, so that Lambda retries it).
 */
@Path(PassThroughResource.PATH)
public class PassThroughResource {

  /** The adapter's default pass-through path, and the one the Terraform module sets. */
  public static final String PATH = "/events";

  /** The header the adapter sets on requests that come from an HTTP invocation. */
  public static final String REQUEST_CONTEXT_HEADER = "x-amzn-request-context";

  private final PassThroughEnvelopes envelopes;
  private final PassThroughDispatcher dispatcher;

  public PassThroughResource(
      Instance<EventConsumer> consumers, ObjectMapper mapper, MeterRegistry meters) {
    this.envelopes = new PassThroughEnvelopes(mapper);
    this.dispatcher = new PassThroughDispatcher(consumers, meters);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Object> receive(
      @HeaderParam(REQUEST_CONTEXT_HEADER) String requestContext, String body) {
    if (requestContext != null) {
      throw new NotFoundException();
    }
    PassThroughPayload payload = envelopes.read(body);
    if (payload instanceof PassThroughPayload.Batch batch) {
      return dispatcher.batch(batch).map(Object.class::cast);
    }
    PassThroughPayload.Single single = (PassThroughPayload.Single) payload;
    return dispatcher
        .single(single)
        .map(
            ignored ->
                Map.of(
                    "status",
                    "processed",
                    "id",
                    single.event().id(),
                    "type",
                    single.event().type()));
  }
}
