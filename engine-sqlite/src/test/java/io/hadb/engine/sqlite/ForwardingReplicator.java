package io.hadb.engine.sqlite;

import io.hadb.api.engine.Progress;
import io.hadb.api.engine.Replicator;

/** A {@link Replicator} that hands every call on; a broken engine overrides one behaviour. */
class ForwardingReplicator implements Replicator {
  private final Replicator delegate;

  ForwardingReplicator(Replicator delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean seal(long epoch, long seq) {
    return delegate.seal(epoch, seq);
  }

  @Override
  public void startPublishing(long epoch, long nextSeq) {
    delegate.startPublishing(epoch, nextSeq);
  }

  @Override
  public void stopPublishing() {
    delegate.stopPublishing();
  }

  @Override
  public long droppedCommits() {
    return delegate.droppedCommits();
  }

  @Override
  public long sync() {
    return delegate.sync();
  }

  @Override
  public long snapshot(Progress progress) {
    return delegate.snapshot(progress);
  }

  @Override
  public long bootstrap() {
    return delegate.bootstrap();
  }

  @Override
  public long pull() {
    return delegate.pull();
  }

  @Override
  public long appliedSeq() {
    return delegate.appliedSeq();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
