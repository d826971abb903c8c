package dev.spillway.embedding.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets a clear 4xx in OpenAI's error shape, naming the field. */
@QuarkusTest
class BadInputTest {

  static List<Arguments> badBodies() {
    String m = "\"model\":\"all-minilm-l6-v2-q\"";
    return List.of(
        Arguments.of("empty body", "", 400, null, "invalid_json"),
        Arguments.of("not JSON", "{nope", 400, null, "invalid_json"),
        Arguments.of("not an object", "[\"hi\"]", 400, null, "invalid_json"),
        Arguments.of("no input", "{" + m + "}", 400, "input", "invalid_value"),
        Arguments.of("null input", "{" + m + ",\"input\":null}", 400, "input", "invalid_value"),
        Arguments.of("empty string", "{" + m + ",\"input\":\"\"}", 400, "input", "invalid_value"),
        Arguments.of("empty array", "{" + m + ",\"input\":[]}", 400, "input", "invalid_value"),
        Arguments.of(
            "empty string item",
            "{" + m + ",\"input\":[\"a\",\"\"]}",
            400,
            "input[1]",
            "invalid_value"),
        Arguments.of(
            "number item", "{" + m + ",\"input\":[\"a\",2.5]}", 400, "input[1]", "invalid_value"),
        Arguments.of(
            "object item",
            "{" + m + ",\"input\":[\"a\",{\"t\":1}]}",
            400,
            "input[1]",
            "invalid_value"),
        Arguments.of("null item", "{" + m + ",\"input\":[null]}", 400, "input[0]", "invalid_value"),
        Arguments.of(
            "token array", "{" + m + ",\"input\":[101,7592,102]}", 400, "input", "invalid_value"),
        Arguments.of(
            "token arrays",
            "{" + m + ",\"input\":[[101,102],[101,102]]}",
            400,
            "input",
            "invalid_value"),
        Arguments.of("input a number", "{" + m + ",\"input\":42}", 400, "input", "invalid_value"),
        Arguments.of("no model", "{\"input\":\"hi\"}", 400, "model", "invalid_value"),
        Arguments.of(
            "model not a string", "{\"model\":7,\"input\":\"hi\"}", 400, "model", "invalid_value"),
        Arguments.of(
            "unknown model",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}",
            404,
            "model",
            "model_not_found"),
        Arguments.of(
            "bad encoding_format",
            "{" + m + ",\"input\":\"hi\",\"encoding_format\":\"hex\"}",
            400,
            "encoding_format",
            "invalid_value"),
        Arguments.of(
            "dimensions the model cannot shorten to",
            "{" + m + ",\"input\":\"hi\",\"dimensions\":128}",
            400,
            "dimensions",
            "invalid_value"),
        Arguments.of(
            "dimensions not a number",
            "{" + m + ",\"input\":\"hi\",\"dimensions\":\"small\"}",
            400,
            "dimensions",
            "invalid_value"),
        Arguments.of(
            "dimensions zero",
            "{" + m + ",\"input\":\"hi\",\"dimensions\":0}",
            400,
            "dimensions",
            "invalid_value"),
        Arguments.of(
            "user not a string",
            "{" + m + ",\"input\":\"hi\",\"user\":5}",
            400,
            "user",
            "invalid_value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void embeddingsRefuses(String name, String body, int status, String param, String code) {
    expectError(post("/v1/embeddings", body), status, param, code);
  }

  @Test
  void moreThan2048InputsAreRefused() {
    List<String> inputs = new ArrayList<>(Collections.nCopies(2049, "x"));
    expectError(
            given()
                .contentType(ContentType.JSON)
                .body(Map.of("model", "all-minilm-l6-v2-q", "input", inputs))
                .post("/v1/embeddings")
                .then(),
            400,
            "input",
            "invalid_value")
        .body("error.message", containsString("2048"));
  }

  @Test
  void anOversizeBodyIsRefusedWith413() {
    String big = "a".repeat(4 * 1024 * 1024 + 10);
    expectError(
        post("/v1/embeddings", "{\"model\":\"all-minilm-l6-v2-q\",\"input\":\"" + big + "\"}"),
        413,
        null,
        "request_too_large");
  }

  @Test
  void classifyRefusesUnknownHeadsAndEmbeddingModels() {
    expectError(
        post("/v1/classify", "{\"model\":\"nope\",\"input\":\"hi\"}"),
        404,
        "model",
        "model_not_found");
    expectError(
        post("/v1/classify", "{\"model\":\"all-minilm-l6-v2\",\"input\":\"hi\"}"),
        404,
        "model",
        "model_not_found");
    expectError(
        post("/v1/classify", "{\"model\":\"mmlu-subject-group\",\"input\":[]}"),
        400,
        "input",
        "invalid_value");
  }

  private static ValidatableResponse post(String path, String body) {
    return given().contentType(ContentType.JSON).body(body).post(path).then();
  }

  private static ValidatableResponse expectError(
      ValidatableResponse response, int status, String param, String code) {
    return response
        .statusCode(status)
        .contentType(ContentType.JSON)
        .body("error.type", equalTo(status >= 500 ? "server_error" : "invalid_request_error"))
        .body("error.code", equalTo(code))
        .body("error.param", param == null ? nullValue() : equalTo(param))
        .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyString()));
  }
}
