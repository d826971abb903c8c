package dev.spillway.embedding.api;

import dev.spillway.embedding.error.ApiException;
import dev.spillway.embedding.serving.EmbeddingService;
import dev.spillway.embedding.serving.ServedModel;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/embeddings}, OpenAI-compatible. Blocking because tokenisation runs here, on a
 * worker thread, before the inputs join the model's batch queue; the response completes when the
 * batcher is done. Truncated inputs are listed in the body's {@code truncated_inputs} and counted
 * in the {@code x-spillway-truncated-inputs} header.
 */
@Path("/v1/embeddings")
public class EmbeddingsResource {

  static final String TRUNCATED_HEADER = "x-spillway-truncated-inputs";

  private final EmbeddingService service;
  private final RequestParser parser;

  public EmbeddingsResource(EmbeddingService service, RequestParser parser) {
    this.service = service;
    this.parser = parser;
  }

  @POST
  @Blocking
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<Response> embed(byte[] body) {
    EmbeddingRequest request = parser.parse(body, false);
    ServedModel served = service.model(request.model());
    int native_ = served.model().spec().dimensions();
    if (request.dimensions() != null
        && request.dimensions() != native_
        && !served.model().spec().shortenable()) {
      throw ApiException.invalid(
          "dimensions",
          "The model '"
              + request.model()
              + "' cannot shorten its "
              + native_
              + "-dimensional vectors; omit 'dimensions' or send "
              + native_
              + ".");
    }
    if (request.dimensions() != null && request.dimensions() > native_) {
      throw ApiException.invalid(
          "dimensions", "'dimensions' must be at most " + native_ + " for this model.");
    }
    return service
        .embed(request.model(), request.inputs())
        .thenApply(
            embedded ->
                Response.ok(
                        ResponseWriter.embeddings(request.model(), embedded, request.base64()),
                        MediaType.APPLICATION_JSON)
                    .header(TRUNCATED_HEADER, embedded.truncated().size())
                    .build());
  }
}
