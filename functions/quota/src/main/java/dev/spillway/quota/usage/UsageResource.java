package dev.spillway.quota.usage;

import dev.spillway.quota.ResourceId;
import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.auth.Authenticator;
import dev.spillway.quota.auth.Caller;
import dev.spillway.quota.config.QuotaConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage and cost by tenant, feature, model and day: the admin reads any tenant, a tenant's key only
 * its own. Another tenant's name gets the same 404 as a tenant that does not exist, so a key cannot
 * probe which tenants exist.
 */
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

  /** Days counted when the query names no {@code from}. */
  private static final int DEFAULT_DAYS = 30;

  private final Authenticator auth;
  private final UsageLedger ledger;
  private final QuotaConfig config;

  public UsageResource(Authenticator auth, UsageLedger ledger, QuotaConfig config) {
    this.auth = auth;
    this.ledger = ledger;
    this.config = config;
  }

  @GET
  public Uni<UsageResponse> usage(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("tenant") String tenant,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("group_by") String groupBy) {
    LocalDate last = to == null ? LocalDate.now(ZoneOffset.UTC) : date("to", to);
    LocalDate first = from == null ? last.minusDays(DEFAULT_DAYS - 1) : date("from", from);
    if (first.isAfter(last)) {
      throw QuotaException.invalid("Parameter 'from' is after 'to'.");
    }
    if (ChronoUnit.DAYS.between(first, last) + 1 > config.maxUsageDays()) {
      throw QuotaException.invalid(
          "The range from 'from' to 'to' spans more than "
              + config.maxUsageDays()
              + " days (quota.max-usage-days).");
    }
    List<String> groups = groups(groupBy);
    return auth.adminOrTenant(authorization)
        .flatMap(
            caller -> {
              String name = tenant;
              if (name == null || name.isBlank()) {
                if (caller.role() != Caller.Role.TENANT) {
                  throw QuotaException.invalid(
                      "Parameter 'tenant' is required with the admin key.");
                }
                name = caller.tenant();
              }
              String asked = name;
              if (!ResourceId.isValidName(asked)
                  || (caller.role() == Caller.Role.TENANT && !asked.equals(caller.tenant()))) {
                throw QuotaException.notFound("No tenant '" + asked + "'.");
              }
              return ledger
                  .tenantExists(asked)
                  .flatMap(
                      exists -> {
                        if (!exists) {
                          throw QuotaException.notFound("No tenant '" + asked + "'.");
                        }
                        return ledger.totals(asked, first, last, groups);
                      })
                  .map(rows -> new UsageResponse(asked, first, last, groups, rows));
            });
  }

  private static LocalDate date(String name, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw QuotaException.invalid("Parameter '" + name + "' must be a date as YYYY-MM-DD.");
    }
  }

  private static List<String> groups(String groupBy) {
    List<String> groups = new ArrayList<>();
    if (groupBy == null || groupBy.isBlank()) {
      return groups;
    }
    for (String group : groupBy.split(",")) {
      String g = group.trim();
      if (!UsageLedger.GROUPS.contains(g)) {
        throw QuotaException.invalid(
            "Parameter 'group_by' may list feature, model, category and day; '"
                + g
                + "' is not one.");
      }
      if (!groups.contains(g)) {
        groups.add(g);
      }
    }
    return groups;
  }
}
