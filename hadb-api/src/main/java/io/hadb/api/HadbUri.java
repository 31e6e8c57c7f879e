package io.hadb.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed plug-in URI: {@code scheme://authority/path?name=value&...}.
 *
 * <p>{@link java.net.URI} rejects the multi-host authorities NATS and etcd need
 * ({@code nats://h1:4222,h2:4222}), so hadb parses its URIs itself. Parameter values are
 * percent-decoded. {@link #toString()} masks every parameter that looks like a secret, so a URI
 * can be logged or put in an exception message safely.
 *
 * @param scheme lower-case scheme, such as {@code s3}
 * @param authority what stands between {@code //} and the next {@code /} or {@code ?}; may be
 *     empty
 * @param path the path exactly as written after the authority, with its leading {@code /} if any
 *     ({@code s3://b/p/} gives {@code /p/}, {@code file:///tmp/x} gives {@code /tmp/x},
 *     {@code file:data/x} gives {@code data/x}); may be empty
 * @param params the query parameters, in order
 */
public record HadbUri(String scheme, String authority, String path, Map<String, String> params) {

  /** Parameter names whose values are masked when printed. */
  private static final List<String> SECRET_MARKERS =
      List.of("secret", "password", "pass", "token", "key", "creds", "credential", "nkey", "jwt");

  public HadbUri {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  public static HadbUri parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw HadbException.invalidArgument("URI must not be empty");
    }
    String text = uri.strip();
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw HadbException.invalidArgument(
          "URI has no scheme (expected scheme://..., for example s3://bucket or nats://host:4222): "
              + redact(text));
    }
    String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
    for (int i = 0; i < scheme.length(); i++) {
      char c = scheme.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
      if (!ok) {
        throw HadbException.invalidArgument("URI scheme '" + scheme + "' is not valid: " + redact(text));
      }
    }
    String rest = text.substring(colon + 1);
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (rest.contains("#")) {
      throw HadbException.invalidArgument("URI must not have a fragment ('#'): " + redact(text));
    }
    String authority = "";
    String path;
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
      int slash = rest.indexOf('/');
      authority = slash < 0 ? rest : rest.substring(0, slash);
      path = slash < 0 ? "" : rest.substring(slash);
    } else {
      path = rest;
    }
    return new HadbUri(scheme, authority, decode(path, text), parseQuery(query, text));
  }

  private static Map<String, String> parseQuery(String query, String whole) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), whole);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), whole);
      if (name.isEmpty()) {
        throw HadbException.invalidArgument("URI has a parameter with no name: " + redact(whole));
      }
      if (params.put(name, value) != null) {
        throw HadbException.invalidArgument(
            "URI parameter '" + name + "' is given twice: " + redact(whole));
      }
    }
    return params;
  }

  private static String decode(String s, String whole) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HadbException.invalidArgument("URI has a bad percent-escape: " + redact(whole));
    }
  }

  /** The authority split into {@code host[:port]} entries, with {@code defaultPort} filled in. */
  public List<HostPort> hosts(int defaultPort) {
    List<HostPort> hosts = new ArrayList<>();
    String hostPart = authority;
    int at = hostPart.lastIndexOf('@');
    if (at >= 0) {
      hostPart = hostPart.substring(at + 1);
    }
    if (hostPart.isEmpty()) {
      return hosts;
    }
    for (String entry : hostPart.split(",", -1)) {
      hosts.add(HostPort.parse(entry, defaultPort, this));
    }
    return hosts;
  }

  /** User info before {@code @} in the authority, if any (kept out of {@link #toString()}). */
  public Optional<String> userInfo() {
    int at = authority.lastIndexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(authority.substring(0, at));
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  public String param(String name, String defaultValue) {
    return params.getOrDefault(name, defaultValue);
  }

  public String requireParam(String name) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      throw HadbException.invalidArgument(
          "URI parameter '" + name + "' is required: " + this);
    }
    return v;
  }

  public int intParam(String name, int defaultValue, int min, int max) {
    String v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw HadbException.invalidArgument(
          "URI parameter '" + name + "' must be a whole number, was '" + shown(name, v) + "': " + this);
    }
    if (n < min || n > max) {
      throw HadbException.invalidArgument(
          "URI parameter '" + name + "' must be between " + min + " and " + max + ", was " + n + ": " + this);
    }
    return n;
  }

  public boolean boolParam(String name, boolean defaultValue) {
    String v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "" -> true;
      case "false", "0", "no" -> false;
      default -> throw HadbException.invalidArgument(
          "URI parameter '" + name + "' must be true or false, was '" + shown(name, v) + "': " + this);
    };
  }

  /**
   * A duration: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, a bare number of
   * milliseconds, or ISO-8601 ({@code PT5S}).
   */
  public Duration durationParam(String name, Duration defaultValue) {
    String v = params.get(name);
    if (v == null) {
      return defaultValue;
    }
    Duration d = parseDuration(v.strip());
    if (d == null || d.isNegative() || d.isZero()) {
      throw HadbException.invalidArgument(
          "URI parameter '" + name + "' must be a positive duration such as 500ms, 5s or 2m, was '"
              + shown(name, v) + "': " + this);
    }
    return d;
  }

  private static Duration parseDuration(String v) {
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).strip()));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1).strip()) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).strip()));
      }
      if (v.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).strip()));
      }
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Fails with the first parameter not in {@code allowed}, so a typo ({@code bucekt=}) is an
   * error instead of a silently ignored setting.
   */
  public HadbUri rejectUnknownParams(Set<String> allowed) {
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        throw HadbException.invalidArgument(
            "URI parameter '" + name + "' is not known to the " + scheme + ": plug-in (known: "
                + String.join(", ", new TreeSet<>(allowed)) + "): " + this);
      }
    }
    return this;
  }

  public static boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String marker : SECRET_MARKERS) {
      if (n.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  private static String shown(String name, String value) {
    return isSecretName(name) ? "***" : value;
  }

  /** The URI with user info and secret parameters masked: safe for logs and messages. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(scheme).append(':');
    if (!authority.isEmpty() || path.startsWith("/")) {
      b.append("//");
    }
    int at = authority.lastIndexOf('@');
    b.append(at < 0 ? authority : "***@" + authority.substring(at + 1));
    b.append(path);
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(shown(e.getKey(), e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /** Masks secrets in a URI string that may not even parse. */
  public static String redact(String uri) {
    if (uri == null) {
      return "null";
    }
    String s = uri.replaceAll("//[^/@?]*@", "//***@");
    return s.replaceAll(
        "(?i)([?&][^=&]*(?:secret|password|pass|token|key|creds|credential|nkey|jwt)[^=&]*=)[^&]*",
        "$1***");
  }

  /** One {@code host:port} of an authority. */
  public record HostPort(String host, int port) {
    static HostPort parse(String entry, int defaultPort, HadbUri uri) {
      String e = entry.strip();
      if (e.isEmpty()) {
        throw HadbException.invalidArgument("URI has an empty host in its host list: " + uri);
      }
      String host = e;
      int port = defaultPort;
      if (e.startsWith("[")) {
        int close = e.indexOf(']');
        if (close < 0) {
          throw HadbException.invalidArgument("URI host '" + e + "' has no closing ']': " + uri);
        }
        host = e.substring(1, close);
        String after = e.substring(close + 1);
        if (after.startsWith(":")) {
          port = parsePort(after.substring(1), e, uri);
        } else if (!after.isEmpty()) {
          throw HadbException.invalidArgument("URI host '" + e + "' is not valid: " + uri);
        }
      } else {
        int colon = e.lastIndexOf(':');
        if (colon >= 0) {
          host = e.substring(0, colon);
          port = parsePort(e.substring(colon + 1), e, uri);
        }
      }
      if (host.isEmpty()) {
        throw HadbException.invalidArgument("URI host entry '" + e + "' has no host name: " + uri);
      }
      if (port <= 0) {
        throw HadbException.invalidArgument("URI host '" + e + "' needs a port: " + uri);
      }
      return new HostPort(host, port);
    }

    private static int parsePort(String p, String entry, HadbUri uri) {
      try {
        int port = Integer.parseInt(p);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return port;
      } catch (NumberFormatException ex) {
        throw HadbException.invalidArgument(
            "URI port '" + p + "' in '" + entry + "' must be 1-65535: " + uri);
      }
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
