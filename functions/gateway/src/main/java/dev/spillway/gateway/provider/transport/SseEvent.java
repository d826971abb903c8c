package dev.spillway.gateway.provider.transport;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or null (the default "message")
 * @param data the {@code data:} lines joined with newlines
 */
public record SseEvent(String event, String data) {}
