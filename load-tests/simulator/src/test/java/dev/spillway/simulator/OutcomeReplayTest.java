package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outcome replay over real HTTP: each mapped model answers as the table records. */
class OutcomeReplayTest {

  @TempDir Path dir;

  static final String EASY = "What is 2 + 2?\nA. 3\nB. 4\nC. 5\nD. 6\nAnswer:";
  static final String HARD = "Which prime follows 89?\nA. 91\nB. 93\nC. 97\nD. 99\nAnswer:";

  private Path table() throws Exception {
    Path csv = dir.resolve("outcomes.csv");
    Files.writeString(
        csv,
        "prompt,small,large\n" + "\"" + EASY + "\",True,True\n" + "\"" + HARD + "\",False,True\n");
    return csv;
  }

  private static String answer(UpstreamSimulator simulator, String model, String prompt)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    String body =
        json.writeValueAsString(
            json.createObjectNode()
                .put("model", model)
                .set(
                    "messages",
                    json.createArrayNode()
                        .add(
                            json.createObjectNode()
                                .put("role", "system")
                                .put("content", "Be brief."))
                        .add(json.createObjectNode().put("role", "user").put("content", prompt))));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode completion = json.readTree(response.body());
    return completion.path("choices").path(0).path("message").path("content").asText();
  }

  @Test
  void mappedModelsAnswerAsRecordedAndOthersWithGeneratedText() throws Exception {
    SimulatorCommandLine.Parsed parsed =
        SimulatorCommandLine.parse(
            new String[] {
              "--port",
              "0",
              "--tokens",
              "12",
              "--outcomes",
              table().toString(),
              "--outcome-model",
              "cheap=small",
              "--outcome-model",
              "strong=large"
            });
    SimulatorOptions options = assertInstanceOf(SimulatorCommandLine.Start.class, parsed).options();
    try (UpstreamSimulator simulator = UpstreamSimulator.start(options)) {
      String key = "The answer is " + OutcomeReplay.keyLetter(HARD) + ".";
      assertTrue(answer(simulator, "strong", HARD).startsWith(key), "the strong model is right");
      String cheap = answer(simulator, "cheap", HARD);
      assertTrue(cheap.startsWith("The answer is ") && !cheap.startsWith(key), cheap);
      assertEquals(
          "The answer is " + OutcomeReplay.answerLetter(HARD, false) + ".", cheap.substring(0, 16));
      assertTrue(
          answer(simulator, "cheap", EASY)
              .startsWith("The answer is " + OutcomeReplay.keyLetter(EASY)));
      assertTrue(!answer(simulator, "other", HARD).startsWith("The answer is "), "not replayed");
      assertTrue(
          !answer(simulator, "strong", "Something else").startsWith("The answer is "),
          "a prompt the table does not hold");
    }
  }

  @Test
  void badReplayFlagsNameTheProblem() throws Exception {
    assertTrue(
        assertInstanceOf(
                SimulatorCommandLine.Invalid.class,
                SimulatorCommandLine.parse(
                    new String[] {
                      "--outcomes", table().toString(), "--outcome-model", "cheap=tiny"
                    }))
            .message()
            .contains("'tiny', which is not a candidate"));
    assertTrue(
        assertInstanceOf(
                SimulatorCommandLine.Invalid.class,
                SimulatorCommandLine.parse(new String[] {"--outcome-model", "cheap=small"}))
            .message()
            .contains("needs --outcomes"));
    assertTrue(
        assertInstanceOf(
                SimulatorCommandLine.Invalid.class,
                SimulatorCommandLine.parse(
                    new String[] {"--outcomes", dir.resolve("no").toString()}))
            .message()
            .contains("no such file"));
  }
}
