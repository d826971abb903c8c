/**
 * The in-memory allowance a gateway instance decides against: one {@link
 * dev.spillway.quota.allowance.Allowance} per leased budget (and client), reserved on the request
 * path with one compare-and-set, settled with the real use when the request ends, and renewed by
 * reporting net use and applying a {@link dev.spillway.quota.lease.LeaseGrant}.
 *
 * <p>Shape after Netflix's concurrency-limits: {@link
 * dev.spillway.quota.allowance.Allowance#tryReserve(long)} returns either a {@link
 * dev.spillway.quota.allowance.Reservation}, which the caller must settle or release exactly once,
 * or a {@link dev.spillway.quota.allowance.Refusal} value (as in bucket4j) saying what is left and
 * when the window ends, which maps straight onto 429 and {@code Retry-After}.
 *
 * <p>Plain Java, no framework; every class here is thread-safe unless its Javadoc says otherwise.
 */
package dev.spillway.quota.allowance;
