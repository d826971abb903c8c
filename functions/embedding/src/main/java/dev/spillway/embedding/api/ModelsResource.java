package dev.spillway.embedding.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.embedding.model.ModelSpec;
import dev.spillway.embedding.serving.EmbeddingService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.TreeMap;

/**
 * {@code GET /v1/models}: the served embedding models and classification heads, in OpenAI's list
 * shape, with each one's facts (dimensions, maximum tokens, device; a head's labels) as extension
 * fields.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

  private final EmbeddingService service;
  private final ObjectMapper mapper;

  public ModelsResource(EmbeddingService service, ObjectMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  @GET
  public ObjectNode list() {
    ObjectNode list = mapper.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    new TreeMap<>(service.models())
        .forEach(
            (id, served) -> {
              ModelSpec spec = served.model().spec();
              entry(data, id)
                  .put("type", "embedding")
                  .put("dimensions", spec.dimensions())
                  .put("max_tokens", spec.maxTokens())
                  .put("device", served.model().device());
            });
    new TreeMap<>(service.heads())
        .forEach(
            (id, head) -> {
              ObjectNode entry =
                  entry(data, id)
                      .put("type", "classifier")
                      .put("embedding_model", head.head().embeddingModel());
              ArrayNode labels = entry.putArray("labels");
              head.head().labels().forEach(labels::add);
            });
    return list;
  }

  private ObjectNode entry(ArrayNode data, String id) {
    return data.addObject()
        .put("id", id)
        .put("object", "model")
        .put("created", 0)
        .put("owned_by", "spillway");
  }
}
