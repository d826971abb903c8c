package dev.spillway.gateway.auth;

/**
 * How urgent a caller's traffic is. Later admission control sheds {@code BATCH} first and keeps
 * capacity reserved for {@code INTERACTIVE}.
 */
public enum PriorityTier {
  INTERACTIVE,
  STANDARD,
  BATCH
}
