package dev.spillway.secrets;

/**
 * Where one secret lives: a Secrets Manager secret or an SSM parameter, by ARN, optionally one key
 * of a JSON secret ({@code arn:aws:secretsmanager:…:secret:rds!db-1a2b#password}, as the secret RDS
 * manages for its master user holds {@code username} and {@code password}).
 *
 * @param arn the secret's or the parameter's ARN
 * @param jsonKey the key to take from a JSON secret value, or null for the whole value
 */
public record SecretReference(String arn, String jsonKey) {

  /**
   * Reads {@code ARN} or {@code ARN#key}.
   *
   * @throws IllegalArgumentException when it is not a Secrets Manager or SSM parameter ARN
   */
  public static SecretReference parse(String reference) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("the reference is empty");
    }
    int hash = reference.indexOf('#');
    String arn = hash < 0 ? reference : reference.substring(0, hash);
    String key = hash < 0 ? null : reference.substring(hash + 1);
    if (key != null && key.isBlank()) {
      throw new IllegalArgumentException("'" + reference + "' names an empty JSON key after '#'");
    }
    SecretReference parsed = new SecretReference(arn, key);
    if (!parsed.isSecretsManager() && !parsed.isParameter()) {
      throw new IllegalArgumentException(
          "'"
              + arn
              + "' is neither a Secrets Manager secret ARN (arn:aws:secretsmanager:…) nor an"
              + " SSM parameter ARN (arn:aws:ssm:…:parameter/…)");
    }
    return parsed;
  }

  public boolean isSecretsManager() {
    return arn.matches("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
  }

  public boolean isParameter() {
    return arn.matches("arn:aws[a-z-]*:ssm:[a-z0-9-]+:\\d{12}:parameter/.+");
  }
}
