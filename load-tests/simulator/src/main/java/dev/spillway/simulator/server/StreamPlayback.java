package dev.spillway.simulator.server;

import dev.spillway.simulator.ModelProfile;
import dev.spillway.simulator.provider.ProviderDialect.StreamEncoder;
import java.util.SplittableRandom;

/**
 * Plays one streamed answer out in time: the start events and first token after the time to first
 * token, then one token per inter-token gap, then the ending. Consecutive tokens with no gap
 * between them go out in one write. Not thread-safe: it runs on its exchange's event loop.
 */
final class StreamPlayback {

  /** How the stream ends. */
  enum Ending {
    /** Finish reason, usage, terminator; the response ends normally. */
    COMPLETE,
    /** Nothing more is sent until the stall is over, then the connection closes. */
    STALL,
    /** The connection closes at once: no finish reason, no terminator. */
    CUT
  }

  private final CompletionExchange exchange;
  private final StreamEncoder encoder;
  private final ModelProfile profile;
  private final SplittableRandom timing;
  private final int stopAt;
  private final Ending ending;
  private final long stallMillis;

  /**
   * @param stopAt how many pieces to send before the ending (all of them for {@link
   *     Ending#COMPLETE})
   */
  StreamPlayback(
      CompletionExchange exchange,
      StreamEncoder encoder,
      ModelProfile profile,
      SplittableRandom timing,
      int stopAt,
      Ending ending,
      long stallMillis) {
    this.exchange = exchange;
    this.encoder = encoder;
    this.profile = profile;
    this.timing = timing;
    this.stopAt = stopAt;
    this.ending = ending;
    this.stallMillis = stallMillis;
  }

  void start() {
    exchange.after(
        profile.sampleTtftMillis(timing),
        () -> {
          exchange.startStream();
          StringBuilder events = new StringBuilder(1024);
          encoder.start(events);
          emitFrom(0, events);
        });
  }

  private void emitFrom(int index, StringBuilder events) {
    int next = index;
    while (next < stopAt) {
      encoder.piece(next, events);
      next++;
      if (next < stopAt) {
        long gap = profile.sampleItlMillis(timing);
        if (gap > 0) {
          exchange.write(events);
          int resume = next;
          exchange.after(gap, () -> emitFrom(resume, new StringBuilder(256)));
          return;
        }
      }
    }
    switch (ending) {
      case COMPLETE -> {
        encoder.end(events);
        exchange.endStream(events);
      }
      case STALL -> {
        exchange.write(events);
        exchange.stallThenClose(stallMillis);
      }
      case CUT -> exchange.writeThenClose(events);
    }
  }
}
