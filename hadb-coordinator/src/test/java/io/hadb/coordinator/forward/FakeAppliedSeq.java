package io.hadb.coordinator.forward;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test double of the engine's applied seq (the engine does not report one to the coordinator
 * yet): the test sets it after it has changed the follower's file, the way an apply would.
 */
final class FakeAppliedSeq implements AppliedSeqSource {
  final AtomicLong seq = new AtomicLong();

  @Override
  public long appliedSeq() {
    return seq.get();
  }
}
