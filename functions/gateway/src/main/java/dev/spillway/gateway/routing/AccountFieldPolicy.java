package dev.spillway.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which request fields may change what the gateway's own provider account does or pays.
 *
 * <p>The gateway relays OpenAI's documented fields as sent, with these exceptions, which act on the
 * account rather than on the answer: {@code service_tier} (priority processing costs more, flex
 * less, and both draw on the account's own limits), {@code store} (keeps the conversation on the
 * account, for as long as the account's retention says) and {@code web_search_options} (search
 * calls billed per call, outside token usage). A route passes them only when its configuration
 * names them ({@code gateway.routes."<model>".allowed-account-fields}); otherwise a request that
 * sets one is refused with a 400 naming the field, rather than silently stripped, so that a client
 * never believes it got priority processing or storage that it did not get.
 *
 * <p>Values that change nothing are always accepted: {@code store: false} and {@code service_tier}
 * of {@code auto} or {@code default}. Immutable and thread-safe.
 */
public final class AccountFieldPolicy {

  /** The fields governed here, each with the values that leave the account as it is. */
  private static final Map<String, Predicate<JsonNode>> NEUTRAL =
      Map.of(
          "service_tier",
          v -> v.isTextual() && (v.asText().equals("auto") || v.asText().equals("default")),
          "store",
          v -> v.isBoolean() && !v.asBoolean(),
          "web_search_options",
          JsonNode::isNull);

  /** Every field this policy governs, in the order they are checked. */
  public static final List<String> FIELDS = List.of("service_tier", "store", "web_search_options");

  /** A route that allows none of them. */
  public static final AccountFieldPolicy NONE = new AccountFieldPolicy(Set.of());

  private final Set<String> allowed;

  /**
   * @param allowed the governed fields this route passes; each must be one of {@link #FIELDS}
   */
  public AccountFieldPolicy(Set<String> allowed) {
    for (String field : allowed) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("not an account field: " + field);
      }
    }
    this.allowed = Set.copyOf(allowed);
  }

  /** The first field the body sets that this route does not allow, if any. */
  public Optional<String> firstRefused(ObjectNode body) {
    for (String field : FIELDS) {
      JsonNode value = body.get(field);
      if (value != null && !allowed.contains(field) && !NEUTRAL.get(field).test(value)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  public Set<String> allowed() {
    return allowed;
  }
}
