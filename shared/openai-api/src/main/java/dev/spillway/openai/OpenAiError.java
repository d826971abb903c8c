package dev.spillway.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of an error in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}.
 *
 * <p>Clients written against OpenAI (SDKs included) read exactly these four fields, so every error
 * on a {@code /v1/*} path uses this shape. {@code param} names the offending request field, or is
 * null when the error is not about one field.
 *
 * @param message what went wrong, for a person; never contains keys, prompts or upstream bodies
 * @param type the error class, e.g. {@code invalid_request_error}
 * @param param the request field at fault, or null
 * @param code a stable machine-readable code, e.g. {@code model_not_found}, or null
 */
public record OpenAiError(String message, String type, String param, String code) {

  /** The full response body, {@code {"error":{...}}}. */
  public ObjectNode toJson() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return body;
  }
}
