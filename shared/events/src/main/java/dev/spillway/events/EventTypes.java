package dev.spillway.events;

/** The event types Spillway's functions exchange ({@code dev.spillway.<noun>.<verb>}). */
public final class EventTypes {
  /** A chat request finished (any outcome); data: {@link UsageRecordedEvent}. */
  public static final String USAGE_RECORDED = "dev.spillway.usage.recorded";

  /** The gateway sampled a user query for drift scoring; data: {@link QuerySampledEvent}. */
  public static final String QUERY_SAMPLED = "dev.spillway.query.sampled";

  /** A drift verdict flipped (drift found, or gone); data: the drift function's report summary. */
  public static final String DRIFT_DETECTED = "dev.spillway.drift.detected";

  /**
   * Someone asks the drift function to score every feature's latest ended window now (an
   * EventBridge Scheduler schedule on AWS; a Knative PingSource sends {@link #KNATIVE_PING}
   * instead); no data.
   */
  public static final String DRIFT_RUN_REQUESTED = "dev.spillway.drift.run-requested";

  /**
   * Measured quality moved a category of a quality-routed route below its floor, or back above it;
   * data: {@link RoutingDegradedEvent}.
   */
  public static final String ROUTING_DEGRADED = "dev.spillway.routing.degraded";

  /** What a Knative PingSource sends. */
  public static final String KNATIVE_PING = "dev.knative.sources.ping";

  /** What an EventBridge schedule rule sends (its {@code detail-type}). */
  public static final String EVENTBRIDGE_SCHEDULED = "Scheduled Event";

  private EventTypes() {}
}
