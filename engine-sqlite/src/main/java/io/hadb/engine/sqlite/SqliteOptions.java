package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.chain.ChainOptions;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tuning for one SQLite database: SQLite's own knobs beside the chain's ({@link ChainOptions}:
 * durability, encoding, busy timeout, retry backoff, follower batch size, snapshot policy, ASYNC
 * ship interval), whose accessors and withers are repeated here for convenience.
 *
 * @param readConnections size of the local read pool (1–64)
 * @param checkpointPages copy the leader's WAL into the file once this many more pages have
 *     shipped, while writers go on; the log is started over under the write lock (RESTART) only
 *     when a copy finds it at 4× this size or more (a writer that pauses lets it start over by
 *     itself earlier)
 * @param readIdleMs read connections unused this long are closed, and reopen on the next read
 *     (0: kept open); only with a host's shared threads ({@link ChainOptions#threads()}), whose
 *     timer does the looking: a host of thousands of databases holds no files of its idle ones
 * @param chain what the chain side is told
 */
public record SqliteOptions(int readConnections, int checkpointPages, int readIdleMs, ChainOptions chain) {
  public SqliteOptions {
    if (readConnections < 1 || readConnections > 64) {
      throw HadbException.invalidArgument("readConnections must be between 1 and 64, was " + readConnections);
    }
    if (checkpointPages < 1) {
      throw HadbException.invalidArgument("checkpointPages must be at least 1, was " + checkpointPages);
    }
    if (readIdleMs < 0) {
      throw HadbException.invalidArgument("readIdleMs must not be negative, was " + readIdleMs);
    }
    HadbException.requireArg(chain, "chain");
  }

  /** The settings {@link #from} understands, by name, with what each one sets. */
  public static final Map<String, String> SETTINGS;

  static {
    Map<String, String> s = new TreeMap<>(ChainOptions.SETTINGS);
    s.put("readConnections", "size of the local read pool, 1-64 (default 4)");
    s.put("checkpointPages", "shipped WAL frames between checkpoints (default 1000)");
    s.put("readIdleMs", "on a node: close read connections unused this long, ms, 0 = never (default 60000)");
    SETTINGS = java.util.Collections.unmodifiableMap(s);
  }

  /**
   * The options an {@link EngineOptions} asks for: its durability, encoding and snapshot policy,
   * and the settings of {@link #SETTINGS} by name. An unknown setting or a value that is not a
   * whole number fails naming it.
   */
  public static SqliteOptions from(EngineOptions o) {
    HadbException.requireArg(o, "options");
    SqliteOptions s = defaults().withChain(ChainOptions.from(o));
    for (var e : o.settings().entrySet()) {
      long v = number(e.getKey(), e.getValue());
      s = switch (e.getKey()) {
        case "readConnections" -> s.withReadConnections((int) v);
        case "checkpointPages" -> s.withCheckpointPages((int) v);
        case "readIdleMs" -> s.withReadIdleMs((int) v);
        default -> {
          if (!ChainOptions.SETTINGS.containsKey(e.getKey())) {
            throw HadbException.invalidArgument("unknown sqlite engine setting '" + e.getKey()
                + "'; the sqlite engine knows " + new TreeSet<>(SETTINGS.keySet()));
          }
          yield s.withChain(s.chain.withSetting(e.getKey(), v));
        }
      };
    }
    return s;
  }

  private static long number(String name, String value) {
    try {
      long v = Long.parseLong(value.trim());
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw HadbException.invalidArgument("sqlite engine setting '" + name + "' must be a whole number"
          + " from 0 to " + Integer.MAX_VALUE + ", was '" + value + "' (" + SETTINGS.getOrDefault(name, "unknown setting") + ")");
    }
  }

  /**
   * 4 readers, a checkpoint every 1000 shipped pages, idle readers closed after a minute (on a
   * node), {@link ChainOptions#defaults()}.
   */
  public static SqliteOptions defaults() {
    return new SqliteOptions(4, 1000, 60_000, ChainOptions.defaults());
  }

  public SqliteOptions withReadConnections(int n) {
    return new SqliteOptions(n, checkpointPages, readIdleMs, chain);
  }

  public SqliteOptions withCheckpointPages(int n) {
    return new SqliteOptions(readConnections, n, readIdleMs, chain);
  }

  public SqliteOptions withReadIdleMs(int ms) {
    return new SqliteOptions(readConnections, checkpointPages, ms, chain);
  }

  public SqliteOptions withChain(ChainOptions c) {
    return new SqliteOptions(readConnections, checkpointPages, readIdleMs, c);
  }

  // ---- the chain's options, repeated ----

  public Durability durability() {
    return chain.durability();
  }

  public EncodeOptions encode() {
    return chain.encode();
  }

  public DecodeOptions decode() {
    return chain.decode();
  }

  /** How long a connection waits on SQLite's locks before failing with TIMEOUT. */
  public Duration busyTimeout() {
    return chain.busyTimeout();
  }

  /** {@link #busyTimeout()} in whole milliseconds, as SQLite's handlers take it. */
  public int busyTimeoutMillis() {
    return chain.busyTimeoutMillis();
  }

  public Duration retryBackoff() {
    return chain.retryBackoff();
  }

  public int applyBatchMax() {
    return chain.applyBatchMax();
  }

  public SnapshotPolicy snapshots() {
    return chain.snapshots();
  }

  public Duration shipInterval() {
    return chain.shipInterval();
  }

  public SqliteOptions withDurability(Durability d) {
    return withChain(chain.withDurability(d));
  }

  public SqliteOptions withEncode(EncodeOptions e) {
    return withChain(chain.withEncode(e));
  }

  public SqliteOptions withDecode(DecodeOptions d) {
    return withChain(chain.withDecode(d));
  }

  public SqliteOptions withBusyTimeout(Duration d) {
    return withChain(chain.withBusyTimeout(d));
  }

  public SqliteOptions withRetryBackoff(Duration d) {
    return withChain(chain.withRetryBackoff(d));
  }

  public SqliteOptions withApplyBatchMax(int n) {
    return withChain(chain.withApplyBatchMax(n));
  }

  public SqliteOptions withSnapshots(SnapshotPolicy p) {
    return withChain(chain.withSnapshots(p));
  }

  public SqliteOptions withShipInterval(Duration d) {
    return withChain(chain.withShipInterval(d));
  }
}
