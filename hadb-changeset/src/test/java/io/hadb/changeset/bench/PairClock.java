package io.hadb.changeset.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Times the two halves of a paired op (the changeset operation, then raw SHA-256 over the same
 * bytes) on the thread's CPU clock and on the wall clock; JMH reports the sums as secondary
 * results. Measuring both halves inside one op, alternately, is what makes the ratio stable on a
 * machine shared with other builds: whatever the load does, it does to both halves alike, and a
 * thread waiting for a core accrues no CPU time. (Separate JMH runs for each, tens of seconds
 * apart, gave ratios from 0.8 to 1.0 for the same code here.)
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public long ops;
  public long changesetCpuNanos;
  public long sha256CpuNanos;
  public long changesetWallNanos;
  public long sha256WallNanos;

  private long cpuMark;
  private long wallMark;

  @Setup(Level.Iteration)
  public void reset() {
    ops = 0;
    changesetCpuNanos = 0;
    sha256CpuNanos = 0;
    changesetWallNanos = 0;
    sha256WallNanos = 0;
  }

  /** Before the changeset half. */
  void start() {
    wallMark = System.nanoTime();
    cpuMark = THREADS.getCurrentThreadCpuTime();
  }

  /** Between the halves. */
  void changesetDone() {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    changesetCpuNanos += cpu - cpuMark;
    changesetWallNanos += wall - wallMark;
    wallMark = wall;
    cpuMark = cpu;
  }

  /** After the SHA-256 half. */
  void sha256Done() {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    sha256CpuNanos += cpu - cpuMark;
    sha256WallNanos += wall - wallMark;
    ops++;
  }
}
