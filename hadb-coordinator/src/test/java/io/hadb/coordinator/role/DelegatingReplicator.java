package io.hadb.coordinator.role;

import io.hadb.api.engine.Replicator;

/** A {@link Replicator} that forwards every call, for tests that intercept one of them. */
class DelegatingReplicator implements Replicator {
  private final Replicator inner;

  DelegatingReplicator(Replicator inner) {
    this.inner = inner;
  }

  @Override
  public boolean seal(long epoch, long seq) {
    return inner.seal(epoch, seq);
  }

  @Override
  public long snapshot(io.hadb.api.engine.Progress progress) {
    return inner.snapshot(progress);
  }

  @Override
  public long droppedCommits() {
    return inner.droppedCommits();
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
  public long sync() {
    return inner.sync();
  }

  @Override
  public long bootstrap() {
    return inner.bootstrap();
  }

  @Override
  public long pull() {
    return inner.pull();
  }

  @Override
  public long appliedSeq() {
    return inner.appliedSeq();
  }

  @Override
  public void close() {
    inner.close();
  }
}
