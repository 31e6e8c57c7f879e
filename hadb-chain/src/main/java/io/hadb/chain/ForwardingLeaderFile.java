package io.hadb.chain;

import io.hadb.api.HadbException;

/** A {@link LeaderFile} that hands every call to another (see {@link ForwardingEngineFile}). */
public class ForwardingLeaderFile implements LeaderFile {
  private final LeaderFile delegate;

  public ForwardingLeaderFile(LeaderFile delegate) {
    this.delegate = delegate;
  }

  @Override
  public Capture capture() {
    return delegate.capture();
  }

  @Override
  public Checkpointer checkpointer() {
    return delegate.checkpointer();
  }

  @Override
  public PageImages wholeFileLocked() {
    return delegate.wholeFileLocked();
  }

  @Override
  public void listen(WriteListener listener) {
    delegate.listen(listener);
  }

  @Override
  public void refuseWrites(HadbException why) {
    delegate.refuseWrites(why);
  }

  @Override
  public boolean resign() {
    return delegate.resign();
  }
}
