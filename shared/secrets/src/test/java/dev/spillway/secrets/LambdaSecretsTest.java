package dev.spillway.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local HTTP server that answers as the Parameters and Secrets extension does. */
class LambdaSecretsTest {

  private static final String SECRET =
      "arn:aws:secretsmanager:us-east-2:123456789012:secret:spillway/openai-AbCdEf";
  private static final String RDS =
      "arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!db-1a2b3c-XyZ123";
  private static final String PARAMETER =
      "arn:aws:ssm:us-east-2:123456789012:parameter/spillway/quota-service-key";

  private HttpServer extension;
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final ObjectMapper mapper = new ObjectMapper();

  @BeforeEach
  void start() throws IOException {
    extension = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    extension.createContext(
        "/",
        exchange -> {
          tokens.add(exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token"));
          String query =
              URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
          String path = exchange.getRequestURI().getPath();
          String body;
          int status = 200;
          if (path.equals("/secretsmanager/get") && query.equals("secretId=" + SECRET)) {
            body = "{\"ARN\":\"" + SECRET + "\",\"SecretString\":\"sk-openai-123\"}";
          } else if (path.equals("/secretsmanager/get") && query.equals("secretId=" + RDS)) {
            body =
                "{\"SecretString\":"
                    + mapper.writeValueAsString("{\"username\":\"spillway\",\"password\":\"pw-9\"}")
                    + "}";
          } else if (path.equals("/systemsmanager/parameters/get")
              && query.equals("withDecryption=true&name=" + PARAMETER)) {
            body =
                "{\"Parameter\":{\"Name\":\"/spillway/quota-service-key\",\"Value\":\"sk-svc\"}}";
          } else {
            status = 400;
            body = "{\"message\":\"not found\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    extension.start();
  }

  @AfterEach
  void stop() {
    extension.stop(0);
  }

  private ParametersAndSecretsExtension client() {
    return new ParametersAndSecretsExtension(
        URI.create("http://127.0.0.1:" + extension.getAddress().getPort()),
        "session-token",
        mapper);
  }

  @Test
  void secretsParametersAndJsonKeysResolveToTheirValues() {
    Map<String, SecretReference> references =
        LambdaSecretsConfigSourceFactory.references(
            mapper
                .createObjectNode()
                .put("OPENAI_API_KEY", SECRET)
                .put("QUOTA_DB_PASSWORD", RDS + "#password")
                .put("GATEWAY_QUOTA_SERVICE_KEY", PARAMETER)
                .toString(),
            mapper);
    Map<String, String> values = client().resolve(references);
    assertEquals(
        Map.of(
            "OPENAI_API_KEY", "sk-openai-123",
            "QUOTA_DB_PASSWORD", "pw-9",
            "GATEWAY_QUOTA_SERVICE_KEY", "sk-svc"),
        values);
    assertEquals(List.of("session-token", "session-token", "session-token"), tokens);
  }

  @Test
  void resolvedSecretsAreMatchedLikeEnvironmentVariables() {
    LambdaSecretsConfigSourceFactory.SecretsConfigSource source =
        new LambdaSecretsConfigSourceFactory.SecretsConfigSource(
            Map.of("GATEWAY_QUOTA_SERVICE_KEY", "sk-svc"));
    assertEquals("sk-svc", source.getValue("gateway.quota.service-key"));
    assertEquals("sk-svc", source.getValue("GATEWAY_QUOTA_SERVICE_KEY"));
    assertEquals(LambdaSecretsConfigSourceFactory.SECRETS_ORDINAL, source.getOrdinal());
  }

  @Test
  void anUnreadableSecretNamesTheVariableAndTheArnButNoValue() {
    String missing = "arn:aws:secretsmanager:us-east-2:123456789012:secret:gone-000000";
    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class,
            () -> client().resolve(Map.of("ANTHROPIC_API_KEY", SecretReference.parse(missing))));
    assertEquals(
        "cannot read secret ANTHROPIC_API_KEY from "
            + missing
            + ": the extension answered HTTP 400",
        failure.getMessage());
    IllegalStateException noKey =
        assertThrows(
            IllegalStateException.class,
            () -> client().resolve(Map.of("X", SecretReference.parse(RDS + "#port"))));
    assertEquals("secret X from " + RDS + " has no key 'port'", noKey.getMessage());
    assertFalse(noKey.getMessage().contains("pw-9"));
  }

  @Test
  void badReferencesAreRefusedBeforeAnythingIsFetched() {
    assertTrue(
        assertThrows(
                IllegalStateException.class,
                () ->
                    LambdaSecretsConfigSourceFactory.references(
                        "{\"OPENAI_API_KEY\":\"sk-plain-value\"}", mapper))
            .getMessage()
            .contains("neither a Secrets Manager secret ARN"));
    assertTrue(
        assertThrows(
                IllegalStateException.class,
                () ->
                    LambdaSecretsConfigSourceFactory.references(
                        "{\"lower\":\"" + SECRET + "\"}", mapper))
            .getMessage()
            .contains("not an environment variable name"));
    assertTrue(
        assertThrows(
                IllegalStateException.class,
                () -> LambdaSecretsConfigSourceFactory.references("[1]", mapper))
            .getMessage()
            .startsWith("SPILLWAY_SECRETS is not a JSON object"));
    assertThrows(
        IllegalStateException.class,
        () -> new ParametersAndSecretsExtension(URI.create("http://localhost:2773"), null, mapper));
  }
}
