package io.hadb.lease.mem;

import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import java.util.Set;

/**
 * The configuration of a {@code mem:} lease store: {@code mem://name}. Every client opened
 * with the same name in one JVM sees the same registers.
 *
 * @param name the namespace: 1–100 characters of {@code A-Z a-z 0-9 . _ -}
 */
public record MemLeaseConfig(String name) {
  public static final String SCHEME = "mem";

  public MemLeaseConfig {
    HadbException.requireArg(name, "name");
    if (name.isEmpty() || name.length() > 100 || !name.chars().allMatch(MemLeaseConfig::nameChar)) {
      throw HadbException.invalidArgument(
          "mem: namespace name must be 1-100 characters of A-Z a-z 0-9 . _ -, was '" + name + "'");
    }
  }

  /** Parses {@code mem://name}; no path and no parameters are accepted. */
  public static MemLeaseConfig from(HadbUri uri) {
    if (!SCHEME.equals(uri.scheme())) {
      throw HadbException.invalidArgument("not a mem: URI: " + uri);
    }
    uri.rejectUnknownParams(Set.of());
    if (uri.authority().isEmpty()) {
      throw HadbException.invalidArgument("mem: URI needs a namespace name, as in mem://name: " + uri);
    }
    if (!uri.path().isEmpty() && !uri.path().equals("/")) {
      throw HadbException.invalidArgument(
          "mem: URI takes no path (the namespace is the name after //, as in mem://name), got path '"
              + uri.path() + "': " + uri);
    }
    return new MemLeaseConfig(uri.authority());
  }

  private static boolean nameChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-';
  }
}
