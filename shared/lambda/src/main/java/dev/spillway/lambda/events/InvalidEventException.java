package dev.spillway.lambda.events;

/**
 * An event that can never be processed: its envelope or its data is wrong, or nothing here consumes
 * its type. Redelivery does not help; an HTTP caller gets a 4xx and an SQS record ends in the
 * queue's dead-letter queue. The message names the problem and never carries the event's data.
 */
public final class InvalidEventException extends RuntimeException {

  public InvalidEventException(String message) {
    super(message, null, false, false);
  }
}
