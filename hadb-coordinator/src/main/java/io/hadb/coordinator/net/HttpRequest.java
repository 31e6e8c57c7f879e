package io.hadb.coordinator.net;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 request as {@link NetLoop} read it: whole, its body within the limit.
 *
 * @param method the request method, as sent
 * @param path the request target (path and query), as sent
 * @param headers header names lower-cased; a repeated header keeps its last value
 * @param body the body ({@code Content-Length} bytes; chunked bodies are refused)
 * @param remote the peer's address
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body,
    InetSocketAddress remote) {

  public HttpRequest {
    headers = Map.copyOf(headers);
  }

  /** A header's value by name (any case). */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }
}
