package dev.spillway.gateway.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  @Test
  void runsDueTasksInTimeOrderWithTheClockAtTheirDueTime() {
    ManualScheduler scheduler = new ManualScheduler(0);
    List<String> ran = new ArrayList<>();
    scheduler.schedule(Duration.ofMillis(30), () -> ran.add("c@" + scheduler.nanoTime()));
    scheduler.schedule(Duration.ofMillis(10), () -> ran.add("a@" + scheduler.nanoTime()));
    scheduler.schedule(Duration.ofMillis(10), () -> ran.add("b@" + scheduler.nanoTime()));
    scheduler.schedule(Duration.ofMillis(50), () -> ran.add("late"));

    scheduler.advance(Duration.ofMillis(40));

    assertEquals(List.of("a@10000000", "b@10000000", "c@30000000"), ran);
    assertEquals(40_000_000L, scheduler.nanoTime());
    assertEquals(1, scheduler.pending());
  }

  @Test
  void cancelledTasksDoNotRunAndTasksScheduledByTasksRunWhenDue() {
    ManualScheduler scheduler = new ManualScheduler(0);
    List<String> ran = new ArrayList<>();
    scheduler.schedule(Duration.ofMillis(5), () -> ran.add("cancelled")).cancel();
    scheduler.schedule(
        Duration.ofMillis(5),
        () -> scheduler.schedule(Duration.ofMillis(5), () -> ran.add("chained")));

    scheduler.advance(Duration.ofMillis(9));
    assertEquals(List.of(), ran);
    scheduler.advance(Duration.ofMillis(1));
    assertEquals(List.of("chained"), ran);
    assertEquals(0, scheduler.pending());
  }
}
