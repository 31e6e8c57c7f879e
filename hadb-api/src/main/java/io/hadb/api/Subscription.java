package io.hadb.api;

/** A registration that can be cancelled, such as a watch. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
