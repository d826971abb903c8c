package dev.spillway.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonProblemsTest {

  record Sample(String text, float[] vector) {}

  record Batch(List<Sample> samples) {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static String describe(String json) {
    JsonProcessingException e =
        assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, Batch.class));
    return JsonProblems.describe(e);
  }

  @Test
  void detailsNameTheFieldAtFaultWithoutItsValue() {
    assertEquals(
        "Field 'samples[1].vector' has the wrong type or format.",
        describe("{\"samples\":[{\"text\":\"a\"},{\"vector\":\"secret\"}]}"));
    assertEquals(
        "Unknown field 'samples[0].txt'.", describe("{\"samples\":[{\"txt\":\"secret\"}]}"));
    assertEquals("The body is not valid JSON.", describe("not json"));
    assertEquals("The body has the wrong shape (expected a JSON object).", describe("[1, 2]"));
  }

  @Test
  void aProblemCarriesItsKind() {
    ErrorKind kind =
        new ErrorKind() {
          public int status() {
            return 422;
          }

          public String title() {
            return "Unprocessable request";
          }

          public String code() {
            return "too_few_samples";
          }
        };
    Problem problem = Problem.of(kind, "A reference needs 100 samples.");
    assertEquals("https://spillway.dev/problems/too-few-samples", problem.type());
    assertEquals(422, problem.status());
    assertEquals("too_few_samples", problem.code());
  }
}
