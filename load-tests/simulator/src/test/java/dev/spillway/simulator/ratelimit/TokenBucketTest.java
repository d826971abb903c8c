package dev.spillway.simulator.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  // 600 tokens per minute refill at 10 tokens per second.
  private final TokenBucket bucket = new TokenBucket(600, now::get);

  private void advanceSeconds(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void startsFullAndRefusesOnceSpent() {
    assertTrue(bucket.tryTake(600).allowed());

    RateDecision refused = bucket.tryTake(50);

    assertFalse(refused.allowed());
    assertEquals(5, refused.retryAfterSeconds(), "50 tokens at 10 per second");
  }

  @Test
  void retryAfterIsHonest() {
    bucket.tryTake(600);
    long wait = bucket.tryTake(35).retryAfterSeconds();

    advanceSeconds(wait - 1);
    assertFalse(bucket.tryTake(35).allowed());
    advanceSeconds(1);
    assertTrue(bucket.tryTake(35).allowed());
  }

  @Test
  void refillStopsAtOneMinutesBudget() {
    advanceSeconds(3600);

    assertEquals(600, bucket.available());
  }

  @Test
  void requestLargerThanTheBudgetWaitsForAFullBucket() {
    bucket.tryTake(1);

    RateDecision refused = bucket.tryTake(10_000);
    advanceSeconds(1);
    RateDecision allowed = bucket.tryTake(10_000);

    assertFalse(refused.allowed());
    assertEquals(1, refused.retryAfterSeconds());
    assertTrue(allowed.allowed());
    assertEquals(0, bucket.available());
  }
}
