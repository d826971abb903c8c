package dev.spillway.embedding.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EmbeddingsApiTest {

  static final String FP32 = "all-minilm-l6-v2";
  static final String INT8 = "all-minilm-l6-v2-q";

  @Test
  void aStringInputGetsOneVectorWithUsage() {
    JsonPath body =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("model", FP32, "input", "hello world", "user", "u-1"))
            .post("/v1/embeddings")
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .header("x-spillway-truncated-inputs", "0")
            .body("object", equalTo("list"))
            .body("model", equalTo(FP32))
            .body("data", hasSize(1))
            .body("data[0].object", equalTo("embedding"))
            .body("data[0].index", equalTo(0))
            .body("data[0].embedding", hasSize(384))
            .body("usage.prompt_tokens", equalTo(4))
            .body("usage.total_tokens", equalTo(4))
            .body("truncated_inputs", empty())
            .extract()
            .jsonPath();
    float[] published = {-0.03448f, 0.03102f, 0.00673f, 0.02611f, -0.03936f};
    for (int i = 0; i < published.length; i++) {
      assertEquals(published[i], body.getFloat("data[0].embedding[" + i + "]"), 1e-3);
    }
  }

  @Test
  void anArrayKeepsItsOrderAndBase64CarriesTheSameFloats() {
    List<String> inputs =
        List.of("a cat sat on the mat", "hello world", "quantum chromodynamics and gluons");
    JsonPath floats =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("model", FP32, "input", inputs, "encoding_format", "float"))
            .post("/v1/embeddings")
            .then()
            .statusCode(200)
            .body("data.index", contains(0, 1, 2))
            .extract()
            .jsonPath();
    JsonPath base64 =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("model", FP32, "input", inputs, "encoding_format", "base64"))
            .post("/v1/embeddings")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    for (int i = 0; i < 3; i++) {
      List<Float> expected = floats.getList("data[" + i + "].embedding", Float.class);
      byte[] bytes = Base64.getDecoder().decode(base64.getString("data[" + i + "].embedding"));
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(384 * 4, bytes.length);
      for (int d = 0; d < 384; d++) {
        // fp32: the two calls may batch differently, and the vectors still agree.
        assertEquals(expected.get(d), buffer.getFloat(), 1e-5, "input " + i + " component " + d);
      }
    }
  }

  @Test
  void longInputsAreTruncatedAndReported() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("model", INT8, "input", List.of("short", "word ".repeat(600), "also short")))
        .post("/v1/embeddings")
        .then()
        .statusCode(200)
        .header("x-spillway-truncated-inputs", "1")
        .body("truncated_inputs", contains(1))
        .body("data", hasSize(3))
        .body("usage.prompt_tokens", equalTo(3 + 256 + 4));
  }

  @Test
  void nativeDimensionsAreAccepted() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("model", FP32, "input", "hi", "dimensions", 384))
        .post("/v1/embeddings")
        .then()
        .statusCode(200)
        .body("data[0].embedding", hasSize(384));
  }

  @Test
  void modelsListsBothModelsAndTheClassifier() {
    given()
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("object", equalTo("list"))
        .body("data.id", hasItems(FP32, INT8, "mmlu-subject-group"))
        .body("data.find { it.id == '" + FP32 + "' }.dimensions", equalTo(384))
        .body("data.find { it.id == '" + FP32 + "' }.device", equalTo("cpu"))
        .body(
            "data.find { it.id == 'mmlu-subject-group' }.labels",
            contains("humanities", "other", "social_sciences", "stem"));
  }

  @Test
  void healthSaysWhichDeviceIsInUse() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'embedding-models' }.data.device", equalTo("cpu"))
        .body(
            "checks.find { it.name == 'embedding-models' }.data.'model " + INT8 + "'",
            equalTo("cpu"));
  }

  @Test
  void classifyReturnsLabelProbabilitiesPerInput() {
    JsonPath body =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "model",
                    "mmlu-subject-group",
                    "input",
                    List.of(
                        "Find the derivative of f(x) = 3x^2 + 2x with respect to x.",
                        "Which Supreme Court case established judicial review, and what"
                            + " constitutional doctrine did the court rely on?")))
            .post("/v1/classify")
            .then()
            .statusCode(200)
            .body("object", equalTo("list"))
            .body("data", hasSize(2))
            .body("data[0].label", equalTo("stem"))
            .body("usage.prompt_tokens", org.hamcrest.Matchers.greaterThan(10))
            .extract()
            .jsonPath();
    for (int i = 0; i < 2; i++) {
      Map<String, Float> probabilities = body.getMap("data[" + i + "].probabilities");
      assertEquals(4, probabilities.size());
      double sum = probabilities.values().stream().mapToDouble(Number::doubleValue).sum();
      assertEquals(1.0, sum, 1e-6);
      assertTrue(probabilities.values().stream().allMatch(p -> p.doubleValue() >= 0));
    }
  }

  @Test
  void theSubjectHeadLabelsPromptsWithTheQualityRoutersCategories() {
    JsonPath body =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "model",
                    "mmlu-subject",
                    "input",
                    List.of(
                        "Which of the following is the body cavity that contains the pituitary"
                            + " gland? A. Abdominal B. Cranial C. Pleural D. Spinal")))
            .post("/v1/classify")
            .then()
            .statusCode(200)
            .body("data[0].label", equalTo("anatomy"))
            .extract()
            .jsonPath();
    assertEquals(57, body.getMap("data[0].probabilities").size());
  }
}
