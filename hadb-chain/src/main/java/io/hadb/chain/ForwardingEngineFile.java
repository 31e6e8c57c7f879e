package io.hadb.chain;

import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * An {@link EngineFile} that hands every call to another: a test overrides one part to build a
 * deliberately broken engine (an applier that writes a batch page by page, a capture that drops
 * a page) and shows that a check catches it. {@link ForwardingLeaderFile} does the same for the
 * leader side.
 */
public class ForwardingEngineFile implements EngineFile {
  private final EngineFile delegate;

  public ForwardingEngineFile(EngineFile delegate) {
    this.delegate = delegate;
  }

  @Override
  public Path path() {
    return delegate.path();
  }

  @Override
  public Lock writeLock() {
    return delegate.writeLock();
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public int stamp() {
    return delegate.stamp();
  }

  @Override
  public Applier applier() {
    return delegate.applier();
  }

  @Override
  public PageImages pages() {
    return delegate.pages();
  }

  @Override
  public void replaceWith(PageImages pages) {
    delegate.replaceWith(pages);
  }

  @Override
  public LeaderFile lead() {
    return delegate.lead();
  }
}
