package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.routing.Target;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenUsage;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a stream consumed: one part per upstream call that contributed output (more than one when
 * the stream was recovered mid-way), each at its own target's price.
 *
 * @param parts the calls in order; never empty
 * @param recovered true when the stream was continued on another target after a break
 */
public record StreamSummary(List<Part> parts, boolean recovered) {

  /** One upstream call's usage. */
  public record Part(Target target, TokenUsage usage) {}

  public StreamSummary {
    parts = List.copyOf(parts);
  }

  /** The target that produced the end of the stream. */
  public Target lastTarget() {
    return parts.get(parts.size() - 1).target();
  }

  /** Tokens of every call together; counted if any part was counted rather than reported. */
  public TokenUsage total() {
    int prompt = 0;
    int completion = 0;
    boolean counted = false;
    for (Part part : parts) {
      prompt += part.usage().promptTokens();
      completion += part.usage().completionTokens();
      counted |= part.usage().counted();
    }
    return new TokenUsage(prompt, completion, counted);
  }

  /** The cost of every call at its target's price. */
  public BigDecimal cost() {
    BigDecimal cost = BigDecimal.ZERO.setScale(Price.COST_SCALE);
    for (Part part : parts) {
      cost = cost.add(part.target().price().cost(part.usage()));
    }
    return cost;
  }
}
