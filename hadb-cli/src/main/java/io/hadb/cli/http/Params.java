package io.hadb.cli.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request's query string; a flag such as {@code ?transaction} is present with the value "". */
final class Params {
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  Params(URI uri) {
    String q = uri.getRawQuery();
    if (q == null || q.isEmpty()) {
      return;
    }
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Statements.BadRequest("the query string has a bad percent-escape in '" + s + "'");
    }
  }

  /** A flag is on when present without a value or with one other than false/0. */
  boolean flag(String name) {
    Optional<String> v = get(name);
    return v.isPresent() && !v.get().equalsIgnoreCase("false") && !v.get().equals("0");
  }

  Optional<String> get(String name) {
    List<String> l = values.get(name);
    return l == null || l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1));
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  long nonNegativeLong(String name, long defaultValue) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(v.get());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Statements.BadRequest("query parameter " + name + " must be a whole number >= 0, was '" + v.get() + "'");
  }

  /** A duration as {@code 500ms}, {@code 2s}, {@code 1m} or bare milliseconds, at most {@code max}. */
  Duration duration(String name, Duration defaultValue, Duration max) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    Duration d = io.hadb.cli.Durations.parse(v.get()).orElse(null);
    if (d == null || d.isNegative() || d.compareTo(max) > 0) {
      throw new Statements.BadRequest("query parameter " + name + " must be a duration such as 500ms, 2s or 1m,"
          + " at most " + max.toSeconds() + "s; was '" + v.get() + "'");
    }
    return d;
  }
}
