package dev.spillway.events;

/** The event types Spillway's functions exchange ({@code dev.spillway.<noun>.<verb>}). */
public final class EventTypes {
  /** A chat request finished (any outcome); data: {@link UsageRecordedEvent}. */
  public static final String USAGE_RECORDED = "dev.spillway.usage.recorded";

  private EventTypes() {}
}
