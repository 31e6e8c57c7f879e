package io.hadb.engine.duckdb;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.EngineOptions;
import io.hadb.chain.ChainOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tuning for one DuckDB database: the size of each instance's idle read pool beside the chain's
 * options ({@link ChainOptions}: durability, encoding, busy timeout, retry backoff, follower
 * batch size, snapshot policy, ASYNC ship interval).
 *
 * @param readConnections idle read connections kept per DuckDB instance (1–64)
 * @param chain what the chain side is told
 */
public record DuckdbOptions(int readConnections, ChainOptions chain) {
  public DuckdbOptions {
    if (readConnections < 1 || readConnections > 64) {
      throw HadbException.invalidArgument("readConnections must be between 1 and 64, was " + readConnections);
    }
    HadbException.requireArg(chain, "chain");
  }

  /** The settings {@link #from} understands, by name, with what each one sets. */
  public static final Map<String, String> SETTINGS;

  static {
    Map<String, String> s = new TreeMap<>(ChainOptions.SETTINGS);
    s.put("readConnections", "idle read connections kept per DuckDB instance, 1-64 (default 4)");
    SETTINGS = java.util.Collections.unmodifiableMap(s);
  }

  /** The options an {@link EngineOptions} asks for; an unknown setting or a bad number fails naming it. */
  public static DuckdbOptions from(EngineOptions o) {
    HadbException.requireArg(o, "options");
    ChainOptions chain = ChainOptions.from(o);
    if (!o.settings().containsKey("shipIntervalMs")) {
      chain = chain.withShipInterval(SHIP_INTERVAL);
    }
    DuckdbOptions d = defaults().withChain(chain);
    for (var e : o.settings().entrySet()) {
      long v = number(e.getKey(), e.getValue());
      if (e.getKey().equals("readConnections")) {
        d = d.withReadConnections((int) v);
      } else if (ChainOptions.SETTINGS.containsKey(e.getKey())) {
        d = d.withChain(d.chain.withSetting(e.getKey(), v));
      } else {
        throw HadbException.invalidArgument("unknown duckdb engine setting '" + e.getKey()
            + "'; the duckdb engine knows " + new TreeSet<>(SETTINGS.keySet()));
      }
    }
    return d;
  }

  private static long number(String name, String value) {
    try {
      long v = Long.parseLong(value.trim());
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw HadbException.invalidArgument("duckdb engine setting '" + name + "' must be a whole number from 0 to "
          + Integer.MAX_VALUE + ", was '" + value + "' (" + SETTINGS.getOrDefault(name, "unknown setting") + ")");
    }
  }

  /**
   * ASYNC ships at most every 100 ms under a steady stream of commits (the chain's default is
   * 5 ms): every capture runs a CHECKPOINT and reads the file, so batching saves that work and
   * the pages several commits rewrite ship once. Measured: follower lag p50/p99 315/716 ms at
   * 100 ms against 486/1434 ms at 5 ms (1-row commits every 20 ms, 1M-row table, load 11).
   */
  static final java.time.Duration SHIP_INTERVAL = java.time.Duration.ofMillis(100);

  /** 4 idle readers per instance, {@link ChainOptions#defaults()} with a ship interval of 100 ms. */
  public static DuckdbOptions defaults() {
    return new DuckdbOptions(4, ChainOptions.defaults().withShipInterval(SHIP_INTERVAL));
  }

  public DuckdbOptions withReadConnections(int n) {
    return new DuckdbOptions(n, chain);
  }

  public DuckdbOptions withChain(ChainOptions c) {
    return new DuckdbOptions(readConnections, c);
  }

  public DuckdbOptions withDurability(Durability d) {
    return withChain(chain.withDurability(d));
  }

  public int busyTimeoutMillis() {
    return chain.busyTimeoutMillis();
  }
}
