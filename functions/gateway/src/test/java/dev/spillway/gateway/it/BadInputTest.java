package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every client mistake gets a 4xx in OpenAI's error shape that names the problem. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class BadInputTest {

  private static final String SECRET_PROMPT = "my-private-prompt-4711";

  private static Response post(String key, String body) {
    var request = given().contentType(ContentType.JSON).body(body);
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request.post("/v1/chat/completions");
  }

  private static String valid(String model) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + SECRET_PROMPT
        + "\"}]}";
  }

  @Test
  void missingOrWrongKeyIs401() {
    post(null, valid("sim-openai"))
        .then()
        .statusCode(401)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.code", equalTo("invalid_api_key"))
        .body("error.param", nullValue());
    post("sk-not-a-key", valid("sim-openai"))
        .then()
        .statusCode(401)
        .body("error.code", equalTo("invalid_api_key"));
  }

  @Test
  void malformedJsonIs400WithoutEchoingTheBody() {
    Response response =
        post(
            UpstreamSimulatorResource.ACME_KEY,
            "{\"model\": \"sim-openai\", \"messages\": [" + SECRET_PROMPT);
    response
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_json"))
        .body("error.message", containsString("line 1"));
    assertFalse(response.asString().contains(SECRET_PROMPT), "the body is never echoed");
    post(UpstreamSimulatorResource.ACME_KEY, "")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_json"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "array body|[1,2]|",
        "empty messages|{'model':'sim-openai','messages':[]}|messages",
        "messages wrong type|{'model':'sim-openai','messages':{}}|messages",
        "model wrong type|{'model':42,'messages':[{'role':'user','content':'x'}]}|model",
        "bad role|{'model':'sim-openai','messages':[{'role':'wizard','content':'x'}]}|messages[0].role",
        "stream wrong type|{'model':'sim-openai','stream':'yes','messages':[{'role':'user','content':'x'}]}|stream",
        "n above one|{'model':'sim-openai','n':3,'messages':[{'role':'user','content':'x'}]}|n",
        "negative max_tokens|{'model':'sim-openai','max_tokens':-5,'messages':[{'role':'user','content':'x'}]}|max_tokens",
        "temperature out of range|{'model':'sim-openai','temperature':9,'messages':[{'role':'user','content':'x'}]}|temperature",
        "bad response_format|{'model':'sim-openai','response_format':{'type':'xml'},'messages':[{'role':'user','content':'x'}]}|response_format.type",
      })
  void invalidFieldsAre400NamingTheField(String name, String body, String param) {
    Response response = post(UpstreamSimulatorResource.ACME_KEY, body.replace('\'', '"'));
    response.then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
    if (param != null) {
      response
          .then()
          .body("error.param", equalTo(param))
          .body("error.message", containsString(param));
    }
  }

  @Test
  void unknownModelIs404NamingTheModelField() {
    post(UpstreamSimulatorResource.ACME_KEY, valid("no-such-model"))
        .then()
        .statusCode(404)
        .body("error.code", equalTo("model_not_found"))
        .body("error.param", equalTo("model"))
        .body("error.message", containsString("GET /v1/models"));
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String huge =
        "{\"model\":\"sim-openai\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "a".repeat(5 * 1024 * 1024)
            + "\"}]}";
    post(UpstreamSimulatorResource.ACME_KEY, huge)
        .then()
        .statusCode(413)
        .body("error.code", equalTo("request_too_large"))
        .body("error.message", containsString("4194304"));
  }

  @Test
  void formEncodedBodiesAre415SayingWhatToSend() {
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .contentType("application/x-www-form-urlencoded")
        .body(
            "{\"model\":\"sim-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"50% off\"}]}")
        .post("/v1/chat/completions")
        .then()
        .statusCode(415)
        .body("error.code", equalTo("unsupported_media_type"))
        .body("error.message", containsString("application/json"));
  }

  @Test
  void jsonNestedBeyondTheParsersLimitIs400Not500() {
    post(UpstreamSimulatorResource.ACME_KEY, "[".repeat(1500) + "]".repeat(1500))
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_json"));
  }

  @Test
  void otherMethodsAre405() {
    given()
        .get("/v1/chat/completions")
        .then()
        .statusCode(405)
        .body("error.code", equalTo("method_not_allowed"));
  }

  @Test
  void errorsNeverEchoThePrompt() {
    Response response =
        post(
            UpstreamSimulatorResource.ACME_KEY,
            "{\"model\":\"sim-openai\",\"top_p\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                + SECRET_PROMPT
                + "\"}]}");
    response.then().statusCode(400).body("error.param", equalTo("top_p"));
    assertFalse(response.asString().contains(SECRET_PROMPT));
    response.then().body(not(containsString(SECRET_PROMPT)));
  }
}
