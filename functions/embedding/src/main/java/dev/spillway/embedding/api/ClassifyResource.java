package dev.spillway.embedding.api;

import dev.spillway.embedding.serving.EmbeddingService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/classify}: {@code {"model": "<head>", "input": "text" | ["text", …]}} → per
 * input, the most probable label and each label's probability. Same input rules, batching and
 * truncation report as {@code /v1/embeddings}.
 */
@Path("/v1/classify")
public class ClassifyResource {

  private final EmbeddingService service;
  private final RequestParser parser;

  public ClassifyResource(EmbeddingService service, RequestParser parser) {
    this.service = service;
    this.parser = parser;
  }

  @POST
  @Blocking
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<Response> classify(byte[] body) {
    EmbeddingRequest request = parser.parse(body, true);
    return service
        .classify(request.model(), request.inputs())
        .thenApply(
            classified ->
                Response.ok(
                        ResponseWriter.classifications(request.model(), classified),
                        MediaType.APPLICATION_JSON)
                    .header(EmbeddingsResource.TRUNCATED_HEADER, classified.truncated().size())
                    .build());
  }
}
