package io.hadb.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line protocol between the orchestrator and a node JVM. Commands go to the node's stdin
 * ({@code transfer <req> <src> <dst> <amount>}, {@code state}, {@code check}, {@code stop});
 * the node answers and reports events on stdout as {@code @TYPE key=value ...}, one per line.
 * Values never contain spaces. Everything else a node prints goes to its log file.
 */
record Protocol(String type, Map<String, String> fields) {

  static String line(String type, Object... kv) {
    StringBuilder b = new StringBuilder("@").append(type);
    for (int i = 0; i < kv.length; i += 2) {
      b.append(' ').append(kv[i]).append('=').append(String.valueOf(kv[i + 1]).replace(' ', '_'));
    }
    return b.toString();
  }

  /** Parses an {@code @TYPE k=v ...} line; null for any other line. */
  static Protocol parse(String line) {
    if (!line.startsWith("@")) {
      return null;
    }
    String[] parts = line.substring(1).split(" ");
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        f.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }
    return new Protocol(parts[0], f);
  }

  String get(String key) {
    String v = fields.get(key);
    if (v == null) {
      throw new IllegalStateException("node answer @" + type + " has no " + key + ": " + fields);
    }
    return v;
  }

  long num(String key) {
    return Long.parseLong(get(key));
  }
}
