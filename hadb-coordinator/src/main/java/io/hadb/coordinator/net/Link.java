package io.hadb.coordinator.net;

import java.net.InetSocketAddress;

/**
 * A long-lived connection of the node's port carrying length-prefixed messages both ways (a
 * push link, DESIGN §9), after an HTTP/1.1 upgrade. Messages are whole when delivered; each is at
 * most the limit the loop was opened with. Thread-safe.
 */
public interface Link {

  /**
   * Queues {@code message} for the peer. Never blocks: a peer that does not read fast enough to
   * keep the queue under its limit is cut off (the link closes, naming why), so a stalled peer
   * costs this node a bounded amount of memory and nothing else.
   */
  void send(byte[] message);

  /** Closes the link; {@link LinkHandler#closed} is told {@code why}. Idempotent. */
  void close(String why);

  boolean isOpen();

  InetSocketAddress remote();
}
