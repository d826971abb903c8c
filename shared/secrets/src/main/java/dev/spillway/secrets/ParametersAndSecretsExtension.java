package dev.spillway.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads secrets through the AWS Parameters and Secrets Lambda Extension, the layer the Terraform
 * module attaches: a local HTTP endpoint (port 2773 unless {@code
 * PARAMETERS_SECRETS_EXTENSION_HTTP_PORT} says otherwise) that fetches and caches Secrets Manager
 * secrets and SSM parameters with the function's own role, authenticated by the function's session
 * token. It needs no AWS SDK in the function, which keeps the native executable small. Not
 * thread-safe; used once at start.
 */
public final class ParametersAndSecretsExtension {

  /** Where the extension listens unless configured otherwise. */
  public static final int DEFAULT_PORT = 2773;

  private static final int ATTEMPTS = 5;

  private final URI base;
  private final String sessionToken;
  private final ObjectMapper mapper;
  private final HttpClient client;

  /**
   * @param base the extension's endpoint, e.g. {@code http://localhost:2773}
   * @param sessionToken {@code AWS_SESSION_TOKEN}, which the extension requires on every call
   */
  public ParametersAndSecretsExtension(URI base, String sessionToken, ObjectMapper mapper) {
    if (sessionToken == null || sessionToken.isBlank()) {
      throw new IllegalStateException(
          "SPILLWAY_SECRETS is set but AWS_SESSION_TOKEN is not: secrets are read through the"
              + " Parameters and Secrets Lambda Extension, which only runs inside Lambda");
    }
    this.base = base;
    this.sessionToken = sessionToken;
    this.mapper = mapper;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  /**
   * Resolves every reference.
   *
   * @param references environment variable name to secret reference
   * @return environment variable name to secret value, in the same order
   * @throws IllegalStateException naming the variable and the ARN (never a value) when one cannot
   *     be read
   */
  public Map<String, String> resolve(Map<String, SecretReference> references) {
    Map<String, String> values = new LinkedHashMap<>();
    references.forEach((name, reference) -> values.put(name, resolve(name, reference)));
    return values;
  }

  private String resolve(String name, SecretReference reference) {
    String path =
        reference.isSecretsManager()
            ? "/secretsmanager/get?secretId=" + encode(reference.arn())
            : "/systemsmanager/parameters/get?withDecryption=true&name=" + encode(reference.arn());
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("X-Aws-Parameters-Secrets-Token", sessionToken)
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    String failure = null;
    // The extension starts beside the function; during the first milliseconds of the init phase it
    // may not answer yet, so a refused connection is retried briefly.
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return value(name, reference, mapper.readTree(response.body()));
        }
        failure = "the extension answered HTTP " + response.statusCode();
        if (response.statusCode() < 500) {
          break;
        }
      } catch (IOException e) {
        failure = "the extension could not be reached (" + e.getClass().getSimpleName() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = "interrupted";
        break;
      }
      sleep(100L * attempt);
    }
    throw new IllegalStateException(
        "cannot read secret " + name + " from " + reference.arn() + ": " + failure);
  }

  private String value(String name, SecretReference reference, JsonNode answer) {
    JsonNode node =
        reference.isSecretsManager()
            ? answer.get("SecretString")
            : answer.path("Parameter").get("Value");
    if (node == null || !node.isTextual()) {
      throw new IllegalStateException(
          "secret " + name + " from " + reference.arn() + " has no text value");
    }
    if (reference.jsonKey() == null) {
      return node.asText();
    }
    try {
      JsonNode field = mapper.readTree(node.asText()).get(reference.jsonKey());
      if (field == null || !field.isValueNode()) {
        throw new IllegalStateException(
            "secret "
                + name
                + " from "
                + reference.arn()
                + " has no key '"
                + reference.jsonKey()
                + "'");
      }
      return field.asText();
    } catch (IOException e) {
      throw new IllegalStateException(
          "secret "
              + name
              + " from "
              + reference.arn()
              + " is not JSON, so it has no key '"
              + reference.jsonKey()
              + "'");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
