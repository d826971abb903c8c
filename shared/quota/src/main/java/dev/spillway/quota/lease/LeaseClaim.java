package dev.spillway.quota.lease;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What an instance reports and asks for one budget.
 *
 * <p>Semantics the quota function implements, per (instance, resource, client):
 *
 * <ol>
 *   <li>{@code used} is added to the use of window {@code window} (it may be negative: a refund
 *       when a request used less than it reserved) and taken off the instance's allowance there.
 *   <li>The current window is the quota function's; if it is not {@code window}, the allowance left
 *       in the old window lapses (a fixed window's budget cannot be carried over).
 *   <li>The instance's allowance in the current window becomes {@code min(want, fair share)}, grown
 *       only from what no one else holds or has used; a smaller value takes allowance back. {@code
 *       want = 0} returns everything unused.
 * </ol>
 *
 * <p>For {@code concurrent-requests} there is no window ({@code window = 0}); {@code used} is
 * requests started minus requests finished since the last report, and when a lease expires (the
 * instance died) its requests in flight are returned with its allowance.
 *
 * @param resource the budget's {@link dev.spillway.quota.ResourceId} wire form
 * @param client who competes for the budget inside the instance: empty for tenant budgets (the
 *     instance is the client); the tenant's name for a provider-account budget, whose capacity is
 *     shared among tenants by weight
 * @param tier {@code interactive}, {@code standard} or {@code batch} for a provider-account budget
 *     (only interactive may use the account's reserved share); null for tenant budgets
 * @param window start of the window {@code used} belongs to, epoch milliseconds as a previous
 *     {@link LeaseGrant#window()} gave it; 0 when there is nothing to report or no window
 * @param used net use since the last report in {@code window}, in the dimension's unit
 * @param want the allowance the client would like to hold in the current window
 * @param previousWindow the window before {@code window}, or 0: {@code previousUsed} is added to
 *     its use (refunds and overdraws of requests admitted there that ended after it), and no lease
 *     changes there
 * @param previousUsed net use settled in {@code previousWindow} since it was last reported
 * @param unit the smallest allowance worth holding, about one request (0: any): a grant below it
 *     cannot admit the requests it is for, so the quota function grants a whole unit from unheld
 *     headroom or nothing, rather than strand a sliver on every instance
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseClaim(
    String resource,
    String client,
    String tier,
    long window,
    long used,
    long want,
    // Left out when 0, so that a claim without them reads as before to an older quota function.
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long previousWindow,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long previousUsed,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long unit) {

  @JsonCreator
  public LeaseClaim {}

  /** A claim with nothing to report for an earlier window and no unit. */
  public LeaseClaim(
      String resource, String client, String tier, long window, long used, long want) {
    this(resource, client, tier, window, used, want, 0, 0, 0);
  }
}
