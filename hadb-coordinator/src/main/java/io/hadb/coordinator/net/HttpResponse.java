package io.hadb.coordinator.net;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP/1.1 response: status, headers (Content-Length is added when written) and body.
 *
 * @param close whether the connection closes after it (bad input, a refused upgrade)
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, boolean close) {

  public HttpResponse {
    headers = Map.copyOf(headers);
  }

  public static HttpResponse of(int status, String contentType, byte[] body) {
    return new HttpResponse(status, Map.of("Content-Type", contentType), body, false);
  }

  /** A short plain-text answer. */
  public static HttpResponse text(int status, String message) {
    return of(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** This response with {@code name: value} added. */
  public HttpResponse with(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpResponse(status, h, body, close);
  }

  /** This response, then the connection closes. */
  public HttpResponse closing() {
    return new HttpResponse(status, headers, body, true);
  }

  static String reason(int status) {
    return switch (status) {
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 421 -> "Misdirected Request";
      case 426 -> "Upgrade Required";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }
}
