package io.hadb.changeset.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU time the benchmark thread used per iteration and the ops it ran, reported by JMH as the
 * secondary results {@code cpuNanos} and {@code ops}. On a machine shared with other builds the
 * wall-clock score swings with the load; ops per CPU-second does not, because a thread waiting
 * for a core accrues no CPU time. {@link ChangesetThroughput} divides one by the other.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU nanoseconds of this iteration; JMH reads it after {@link #stop()}. */
  public long cpuNanos;

  /** Ops of this iteration, counted by the benchmark methods (JMH reports both the same way). */
  public long ops;

  private long start;

  @Setup(Level.Iteration)
  public void start() {
    cpuNanos = 0;
    ops = 0;
    start = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void stop() {
    cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
  }
}
