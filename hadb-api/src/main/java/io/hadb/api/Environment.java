package io.hadb.api;

import java.util.Map;

/** Reads hadb's environment variables; nothing silently defaults to an in-memory store. */
final class Environment {
  private Environment() {}

  static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw HadbException.invalidArgument(
          name + " is not set: give a URI in the builder or set " + name
              + " (for example " + example(name) + ")");
    }
    return value;
  }

  private static String example(String name) {
    return name.equals(LeaseStores.ENV)
        ? "nats://127.0.0.1:4222?bucket=hadb-leases"
        : "s3://my-bucket/hadb/?region=us-east-1";
  }
}
