package dev.spillway.events.aws;

import java.util.Map;
import java.util.Optional;

/**
 * The credentials a request is signed with: on Lambda, the function role's temporary credentials,
 * which the runtime puts in the environment ({@code AWS_ACCESS_KEY_ID}, {@code
 * AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}).
 *
 * @param sessionToken null for long-lived keys
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  public AwsCredentials {
    if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null) {
      throw new IllegalArgumentException("an access key id and a secret access key are required");
    }
  }

  /** The credentials in {@code env}, or empty when there are none. */
  public static Optional<AwsCredentials> fromEnvironment(Map<String, String> env) {
    String id = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    String token = env.get("AWS_SESSION_TOKEN");
    return Optional.of(
        new AwsCredentials(id, secret, token == null || token.isBlank() ? null : token));
  }

  // Never print the secret or the token.
  @Override
  public String toString() {
    return "AwsCredentials[" + accessKeyId + "]";
  }
}
