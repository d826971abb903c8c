package dev.spillway.simulator.server;

import dev.spillway.simulator.Fault;
import dev.spillway.simulator.SimulatorStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulator's counters. Thread-safe: every event loop records into the same instance, so
 * counters are adders and arrays indexed by enum ordinal or status code, with no map lookups on the
 * request path.
 */
public final class StatsRecorder {

  private static final int MAX_STATUS = 600;

  private final LongAdder total = new LongAdder();
  private final LongAdder[] byEndpoint = adders(Endpoint.values().length);
  private final LongAdder[] byFault = adders(Fault.values().length);
  private final AtomicLongArray byStatus = new AtomicLongArray(MAX_STATUS);
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();
  private final LongAdder continuations = new LongAdder();
  private final ConcurrentHashMap<Long, LongAdder> tokensByMinute = new ConcurrentHashMap<>();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong openConnections = new AtomicLong();

  /** Counts a request and marks it in flight; pair with {@link #requestEnded()}. */
  public void requestStarted(Endpoint endpoint) {
    total.increment();
    byEndpoint[endpoint.ordinal()].increment();
    inFlight.incrementAndGet();
  }

  /** Marks a request as no longer in flight: answered, aborted or abandoned. */
  public void requestEnded() {
    inFlight.decrementAndGet();
  }

  public void faultInjected(Fault fault) {
    byFault[fault.ordinal()].increment();
  }

  public void statusSent(int status) {
    if (status >= 0 && status < MAX_STATUS) {
      byStatus.incrementAndGet(status);
    }
  }

  public void rateLimited() {
    rateLimited.increment();
  }

  public void completionTokens(int tokens) {
    completionTokens.add(tokens);
  }

  /**
   * Counts the prompt plus completion tokens of an answer the simulator agreed to serve, in the UTC
   * minute of {@code epochMillis}. Keeps the last {@value #MINUTES_KEPT} minutes.
   */
  public void tokensServed(long epochMillis, long tokens) {
    long minute = epochMillis - Math.floorMod(epochMillis, 60_000L);
    LongAdder adder = tokensByMinute.get(minute);
    if (adder == null) {
      adder = tokensByMinute.computeIfAbsent(minute, m -> new LongAdder());
      tokensByMinute.keySet().removeIf(m -> m < minute - MINUTES_KEPT * 60_000L);
    }
    adder.add(tokens);
  }

  private static final long MINUTES_KEPT = 120;

  /** Counts a valid request that continues an assistant message. */
  public void continuation() {
    continuations.increment();
  }

  public void connectionOpened() {
    openConnections.incrementAndGet();
  }

  public void connectionClosed() {
    openConnections.decrementAndGet();
  }

  /** Zeroes the counters; the gauges (in flight, open connections) keep describing the present. */
  public void reset() {
    total.reset();
    for (LongAdder adder : byEndpoint) {
      adder.reset();
    }
    for (LongAdder adder : byFault) {
      adder.reset();
    }
    for (int status = 0; status < MAX_STATUS; status++) {
      byStatus.set(status, 0);
    }
    rateLimited.reset();
    completionTokens.reset();
    continuations.reset();
    tokensByMinute.clear();
  }

  /** A consistent-enough copy for tests and the admin API (each counter is read once). */
  public SimulatorStats snapshot() {
    Map<String, Long> endpoints = new LinkedHashMap<>();
    for (Endpoint endpoint : Endpoint.values()) {
      long count = byEndpoint[endpoint.ordinal()].sum();
      if (count > 0) {
        endpoints.put(endpoint.statsName(), count);
      }
    }
    Map<String, Long> faults = new LinkedHashMap<>();
    for (Fault fault : Fault.values()) {
      long count = byFault[fault.ordinal()].sum();
      if (count > 0) {
        faults.put(fault.wireName(), count);
      }
    }
    Map<String, Long> statuses = new LinkedHashMap<>();
    for (int status = 0; status < MAX_STATUS; status++) {
      long count = byStatus.get(status);
      if (count > 0) {
        statuses.put(Integer.toString(status), count);
      }
    }
    return new SimulatorStats(
        total.sum(),
        endpoints,
        faults,
        statuses,
        rateLimited.sum(),
        completionTokens.sum(),
        continuations.sum(),
        tokensPerMinuteSnapshot(),
        inFlight.get(),
        openConnections.get());
  }

  private Map<String, Long> tokensPerMinuteSnapshot() {
    Map<String, Long> minutes = new LinkedHashMap<>();
    new TreeMap<>(tokensByMinute)
        .forEach((minute, tokens) -> minutes.put(minute.toString(), tokens.sum()));
    return minutes;
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
