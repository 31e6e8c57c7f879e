package io.hadb.coordinator.testengine;

import io.hadb.api.engine.Progress;
import io.hadb.api.engine.Replicator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * sqlite whose {@link Replicator#pull()} waits while {@link #hold()} is in force: a demoted
 * leader's rebuild from the chain (done by its first pull) can be held open, to look at what the
 * node serves meanwhile. One hold for every node of this engine in the JVM.
 */
public final class HeldPullEngine extends WrappingEngineProvider {
  public static final String NAME = "sqlite-held-pull";
  private static volatile CountDownLatch gate = new CountDownLatch(0);
  private static final CountDownLatch NEVER = new CountDownLatch(1);
  private static volatile CountDownLatch waiting = NEVER;

  @Override
  public String name() {
    return NAME;
  }

  /** From now on pulls wait until {@link #release()}. */
  public static void hold() {
    waiting = new CountDownLatch(1);
    gate = new CountDownLatch(1);
  }

  public static void release() {
    gate.countDown();
  }

  /** Waits until a pull is being held. */
  public static void awaitHeldPull() throws InterruptedException {
    if (!waiting.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("no pull was held within 30 s");
    }
  }

  @Override
  protected Replicator wrap(Replicator inner) {
    return new Replicator() {
      @Override
      public long pull() {
        CountDownLatch g = gate;
        if (g.getCount() > 0) {
          waiting.countDown();
          try {
            if (!g.await(60, TimeUnit.SECONDS)) {
              throw new AssertionError("a held pull was never released");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return inner.pull();
      }

      @Override
      public boolean seal(long epoch, long seq) {
        return inner.seal(epoch, seq);
      }

      @Override
      public void startPublishing(long epoch, long nextSeq) {
        inner.startPublishing(epoch, nextSeq);
      }

      @Override
      public void stopPublishing() {
        inner.stopPublishing();
      }

      @Override
      public long droppedCommits() {
        return inner.droppedCommits();
      }

      @Override
      public long sync() {
        return inner.sync();
      }

      @Override
      public long snapshot(Progress progress) {
        return inner.snapshot(progress);
      }

      @Override
      public long bootstrap() {
        return inner.bootstrap();
      }

      @Override
      public long appliedSeq() {
        return inner.appliedSeq();
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
