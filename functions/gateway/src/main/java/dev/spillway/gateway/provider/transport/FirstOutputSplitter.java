package dev.spillway.gateway.provider.transport;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.ProviderException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Turns a chunk stream into "the chunks up to the first output, then the rest" ({@link
 * ChunkStream}), keeping backpressure: nothing is requested from the upstream beyond what the
 * downstream asked for once the head is delivered.
 *
 * <p>If the stream fails or ends before any output, the {@link Uni} fails, so the dispatcher can
 * try another target before the client has seen a byte. Cancelling the {@link Uni} before the head
 * arrives, or the rest at any time, cancels the upstream. Signals normally come from one event
 * loop, but the rest may be subscribed from another thread, so state changes are synchronized
 * (uncontended, so cheap) and signals are always delivered outside the lock, terminal ones only
 * after the downstream's {@code onSubscribe} has returned.
 */
public final class FirstOutputSplitter implements Flow.Subscriber<ChatChunk> {

  private enum State {
    /** Collecting chunks until the first one with output. */
    HEAD,
    /** The head went out (or the stream ended before it); the rest belongs to the downstream. */
    DELIVERED,
    /** The {@link Uni} was cancelled before the head arrived. */
    CANCELLED
  }

  private final UniEmitter<? super ChunkStream> emitter;
  private final String provider;
  private final List<ChatChunk> head = new ArrayList<>(2);
  private State state = State.HEAD;
  private Flow.Subscription upstream;
  private Flow.Subscriber<? super ChatChunk> downstream;
  private boolean downstreamReady;
  private Throwable pendingFailure;
  private boolean pendingCompletion;

  private FirstOutputSplitter(UniEmitter<? super ChunkStream> emitter, String provider) {
    this.emitter = emitter;
    this.provider = provider;
  }

  /** Splits {@code chunks}; {@code provider} names the upstream in failures. */
  public static Uni<ChunkStream> split(Multi<ChatChunk> chunks, String provider) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              FirstOutputSplitter splitter = new FirstOutputSplitter(emitter, provider);
              emitter.onTermination(splitter::cancelIfHeadPending);
              chunks.subscribe().withSubscriber(splitter);
            });
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    boolean cancelled;
    synchronized (this) {
      upstream = subscription;
      cancelled = state == State.CANCELLED;
    }
    if (cancelled) {
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onNext(ChatChunk chunk) {
    Flow.Subscriber<? super ChatChunk> target = null;
    boolean headComplete = false;
    boolean requestMore = false;
    boolean cancel = false;
    synchronized (this) {
      switch (state) {
        case CANCELLED -> cancel = true;
        case HEAD -> {
          head.add(chunk);
          if (chunk.output()) {
            state = State.DELIVERED;
            headComplete = true;
          } else {
            requestMore = true;
          }
        }
        case DELIVERED -> target = downstream;
      }
    }
    if (cancel) {
      upstream.cancel();
    } else if (headComplete) {
      Flow.Publisher<ChatChunk> rest = this::subscribeRest;
      emitter.complete(new ChunkStream(head, Multi.createFrom().publisher(rest)));
    } else if (requestMore) {
      upstream.request(1);
    } else if (target != null) {
      target.onNext(chunk);
    }
  }

  @Override
  public void onError(Throwable failure) {
    terminate(failure);
  }

  @Override
  public void onComplete() {
    terminate(null);
  }

  /** A terminal signal from the upstream; {@code failure} is null for completion. */
  private void terminate(Throwable failure) {
    Flow.Subscriber<? super ChatChunk> target;
    boolean failHead = false;
    synchronized (this) {
      switch (state) {
        case CANCELLED -> {
          return;
        }
        case HEAD -> {
          state = State.DELIVERED;
          failHead = true;
          target = null;
        }
        default -> {
          if (!downstreamReady) {
            pendingFailure = failure;
            pendingCompletion = failure == null;
            return;
          }
          target = downstream;
        }
      }
    }
    if (failHead) {
      emitter.fail(
          failure != null
              ? failure
              : new ProviderException(
                  ProviderException.Kind.INVALID_RESPONSE,
                  provider,
                  200,
                  null,
                  "the upstream stream ended without any output"));
    } else if (failure != null) {
      target.onError(failure);
    } else {
      target.onComplete();
    }
  }

  private void subscribeRest(Flow.Subscriber<? super ChatChunk> subscriber) {
    boolean second;
    synchronized (this) {
      second = downstream != null;
      if (!second) {
        downstream = subscriber;
      }
    }
    if (second) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(
          new IllegalStateException("the rest of a stream can be subscribed to once"));
      return;
    }
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            upstream.request(n);
          }

          @Override
          public void cancel() {
            upstream.cancel();
          }
        });
    Throwable failure;
    boolean completed;
    synchronized (this) {
      downstreamReady = true;
      failure = pendingFailure;
      completed = pendingCompletion;
    }
    if (failure != null) {
      subscriber.onError(failure);
    } else if (completed) {
      subscriber.onComplete();
    }
  }

  private void cancelIfHeadPending() {
    Flow.Subscription toCancel = null;
    synchronized (this) {
      if (state == State.HEAD) {
        state = State.CANCELLED;
        toCancel = upstream;
      }
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
  }
}
