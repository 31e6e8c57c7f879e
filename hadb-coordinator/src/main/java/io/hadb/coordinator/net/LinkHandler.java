package io.hadb.coordinator.net;

/**
 * What happens on a {@link Link}. Called on the node's network thread: keep each call short and
 * hand real work to another executor (a slow call here delays every connection of the node).
 */
public interface LinkHandler {

  /** The link is up (the upgrade was written or accepted); messages may be sent. */
  void opened(Link link);

  /** One whole message from the peer; the array is the handler's. */
  void received(Link link, byte[] message);

  /**
   * The link is gone (closed by either side, cut off, timed out, or never established), with a
   * reason for the log. Called once.
   */
  void closed(Link link, String why);
}
