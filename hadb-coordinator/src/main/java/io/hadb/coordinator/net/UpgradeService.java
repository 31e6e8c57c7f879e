package io.hadb.coordinator.net;

/**
 * Turns requests on one path into {@link Link}s (an HTTP/1.1 upgrade). Runs on a handler thread.
 */
@FunctionalInterface
public interface UpgradeService {

  /** What to do with an upgrade request: accept it as a link, or refuse it with a response. */
  Decision decide(HttpRequest request);

  /** The outcome of {@link #decide}. */
  sealed interface Decision permits Accept, Refuse {}

  /**
   * Answer {@code 101 Switching Protocols} with {@code headers} and carry messages from then on.
   *
   * @param idleNanos a link that receives nothing for this long is closed (the peer's heartbeats
   *     keep it open)
   */
  record Accept(java.util.Map<String, String> headers, LinkHandler handler, long idleNanos) implements Decision {}

  /** Answer {@code response} and close the connection. */
  record Refuse(HttpResponse response) implements Decision {}
}
