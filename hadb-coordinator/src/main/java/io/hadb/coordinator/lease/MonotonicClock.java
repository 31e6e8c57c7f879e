package io.hadb.coordinator.lease;

/**
 * A clock that only measures elapsed time on this machine: it never jumps when the wall clock is
 * set, and its readings mean nothing on another machine. Every lease decision (a follower's
 * expiry judgement, the leader's self-fence deadline) is made on this clock, never by comparing
 * wall clocks across machines (DESIGN §6.1). Injected so tests can drive time without sleeping.
 */
@FunctionalInterface
public interface MonotonicClock {

  /** Nanoseconds since an arbitrary origin; only differences between two readings mean anything. */
  long nanoTime();

  /** {@link System#nanoTime()}. */
  static MonotonicClock system() {
    return System::nanoTime;
  }
}
