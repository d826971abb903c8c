package dev.spillway.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes secrets stored in Secrets Manager or SSM look like environment variables, so that the same
 * configuration ({@code OPENAI_API_KEY}, {@code QUOTA_DB_PASSWORD}, {@code
 * GATEWAY_QUOTA_SERVICE_KEY}, …) works on Lambda without a secret ever being a plain Lambda
 * environment variable.
 *
 * <p>The Terraform module sets {@code SPILLWAY_SECRETS} to a JSON object of environment variable
 * name to ARN (optionally {@code ARN#key} for one key of a JSON secret); at start each is read
 * through the Parameters and Secrets Lambda Extension and served with environment-variable name
 * matching at an ordinal just above the real environment's. Without {@code SPILLWAY_SECRETS} this
 * factory adds nothing. A secret that cannot be read stops the start with a message naming the
 * variable and the ARN.
 */
public final class LambdaSecretsConfigSourceFactory implements ConfigSourceFactory {

  /** The variable that lists the secrets. */
  public static final String SECRETS_VARIABLE = "SPILLWAY_SECRETS";

  /** Just above {@link EnvConfigSource#ORDINAL}: a resolved secret wins over a stale variable. */
  static final int SECRETS_ORDINAL = EnvConfigSource.ORDINAL + 1;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    String json = value(context, SECRETS_VARIABLE);
    if (json == null || json.isBlank()) {
      return List.of();
    }
    ObjectMapper mapper = new ObjectMapper();
    Map<String, SecretReference> references = references(json, mapper);
    String port = value(context, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT");
    URI base =
        URI.create(
            "http://localhost:"
                + (port == null ? ParametersAndSecretsExtension.DEFAULT_PORT : port.trim()));
    ParametersAndSecretsExtension extension =
        new ParametersAndSecretsExtension(base, value(context, "AWS_SESSION_TOKEN"), mapper);
    return List.of(new SecretsConfigSource(extension.resolve(references)));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(SECRETS_ORDINAL);
  }

  /** Parses {@code SPILLWAY_SECRETS}; the message names what is wrong, never a value. */
  static Map<String, SecretReference> references(String json, ObjectMapper mapper) {
    Map<String, String> raw;
    try {
      raw = mapper.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (IOException e) {
      throw new IllegalStateException(
          SECRETS_VARIABLE + " is not a JSON object of variable name to ARN: " + e.getMessage());
    }
    Map<String, SecretReference> references = new LinkedHashMap<>();
    raw.forEach(
        (name, reference) -> {
          if (!name.matches("[A-Z_][A-Z0-9_]*")) {
            throw new IllegalStateException(
                SECRETS_VARIABLE
                    + " names '"
                    + name
                    + "', which is not an environment variable name");
          }
          try {
            references.put(name, SecretReference.parse(reference));
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                SECRETS_VARIABLE + " entry " + name + ": " + e.getMessage());
          }
        });
    return references;
  }

  private static String value(ConfigSourceContext context, String name) {
    ConfigValue value = context.getValue(name);
    return value == null ? null : value.getValue();
  }

  /** The resolved secrets, matched like environment variables ({@code A_B} for {@code a.b}). */
  static final class SecretsConfigSource extends EnvConfigSource {
    SecretsConfigSource(Map<String, String> values) {
      super(values, SECRETS_ORDINAL);
    }

    // EnvConfigSource answers the environment's own ordinal whatever it was given.
    @Override
    public int getOrdinal() {
      return SECRETS_ORDINAL;
    }

    // SmallRye Config lets an environment variable name no mapping knows (QUOTA_DB_PASSWORD is
    // only used in an expression) pass its unknown-property check only when the source's name
    // starts with "EnvConfigSource"; these values are environment variables in all but origin.
    @Override
    public String getName() {
      return "EnvConfigSource[SPILLWAY_SECRETS]";
    }
  }
}
