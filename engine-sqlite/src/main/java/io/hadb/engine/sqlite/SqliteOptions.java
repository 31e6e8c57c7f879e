package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.HadbException;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import java.time.Duration;

/**
 * Tuning for one SQLite database.
 *
 * @param readConnections size of the local read pool (1–64)
 * @param busyTimeout how long a connection waits on SQLite's locks before failing with TIMEOUT
 * @param durability when a commit counts as done
 * @param checkpointPages copy the leader's WAL into the file once this many more frames have
 *     shipped, while writers go on; the log is started over under the write lock (RESTART) only
 *     when a copy finds it at 4× this size or more (a writer that pauses lets it start over by
 *     itself earlier)
 * @param encode how changesets are stored (compression, encryption)
 * @param decode what a follower may read (the key for encrypted chains)
 * @param retryBackoff first pause after a failed upload; doubles up to 32× while it keeps failing
 * @param applyBatchMax most changesets a follower applies in one exclusive apply (1–4096); a
 *     follower that fell behind catches up in batches, paying the fsyncs once per batch
 * @param snapshots when the leader takes snapshots by itself and which it keeps
 * @param shipInterval ASYNC only: the least time between the starts of two uploads while commits
 *     keep coming (0 to 1 s). A commit after a quiet spell ships at once; under a steady stream
 *     the commits of an interval share one changeset, so the fixed cost of an upload (an object
 *     written and fsynced, the WAL read, a state record) is paid once per interval instead of
 *     once per commit, CPU the shipper would take from the writers. It adds at most this much to
 *     the replication lag. SYNC commits, {@code sync()} and snapshots never wait for it.
 */
public record SqliteOptions(int readConnections, Duration busyTimeout, Durability durability,
    int checkpointPages, EncodeOptions encode, DecodeOptions decode, Duration retryBackoff,
    int applyBatchMax, SnapshotPolicy snapshots, Duration shipInterval) {
  public SqliteOptions {
    if (readConnections < 1 || readConnections > 64) {
      throw HadbException.invalidArgument("readConnections must be between 1 and 64, was " + readConnections);
    }
    HadbException.requireArg(busyTimeout, "busyTimeout");
    if (busyTimeout.isNegative()) {
      throw HadbException.invalidArgument("busyTimeout must not be negative, was " + busyTimeout);
    }
    HadbException.requireArg(durability, "durability");
    if (checkpointPages < 1) {
      throw HadbException.invalidArgument("checkpointPages must be at least 1, was " + checkpointPages);
    }
    HadbException.requireArg(encode, "encode");
    HadbException.requireArg(decode, "decode");
    HadbException.requireArg(retryBackoff, "retryBackoff");
    if (retryBackoff.isNegative() || retryBackoff.isZero()) {
      throw HadbException.invalidArgument("retryBackoff must be positive, was " + retryBackoff);
    }
    if (applyBatchMax < 1 || applyBatchMax > 4096) {
      throw HadbException.invalidArgument("applyBatchMax must be between 1 and 4096, was " + applyBatchMax);
    }
    HadbException.requireArg(snapshots, "snapshots");
    HadbException.requireArg(shipInterval, "shipInterval");
    if (shipInterval.isNegative() || shipInterval.compareTo(Duration.ofSeconds(1)) > 0) {
      throw HadbException.invalidArgument("shipInterval must be between 0 and 1 s, was " + shipInterval);
    }
  }

  /** The settings {@link #from} understands, by name, with what each one sets. */
  public static final java.util.Map<String, String> SETTINGS = java.util.Map.of(
      "readConnections", "size of the local read pool, 1-64 (default 4)",
      "busyTimeoutMs", "how long a connection waits on SQLite's locks, ms (default 5000)",
      "checkpointPages", "shipped WAL frames between checkpoints (default 1000)",
      "retryBackoffMs", "first pause after a failed upload, ms (default 50)",
      "applyBatchMax", "most changesets a follower applies at once, 1-4096 (default 256)",
      "shipIntervalMs", "ASYNC: least time between the starts of two uploads, 0-1000 ms (default 5)");

  /**
   * The options an {@link io.hadb.api.engine.EngineOptions} asks for: its durability, encoding
   * and snapshot policy, and the SQLite settings of {@link #SETTINGS} by name. An unknown setting
   * or a value that is not a whole number fails naming it.
   */
  public static SqliteOptions from(io.hadb.api.engine.EngineOptions o) {
    HadbException.requireArg(o, "options");
    SqliteOptions s = defaults().withDurability(o.durability()).withSnapshots(o.snapshots());
    EncodeOptions encode = o.compression() == io.hadb.api.engine.Compression.ZSTD ? EncodeOptions.plain().withZstd()
        : EncodeOptions.plain();
    DecodeOptions decode = DecodeOptions.defaults();
    if (o.encryptionKey().isPresent()) {
      io.hadb.changeset.EncryptionKey key = io.hadb.changeset.EncryptionKey.of(o.encryptionKey().get().bytes());
      encode = encode.withEncryption(key);
      decode = decode.key(key);
    }
    s = s.withEncode(encode).withDecode(decode);
    for (var e : o.settings().entrySet()) {
      long v = number(e.getKey(), e.getValue());
      s = switch (e.getKey()) {
        case "readConnections" -> s.withReadConnections((int) v);
        case "busyTimeoutMs" -> s.withBusyTimeout(Duration.ofMillis(v));
        case "checkpointPages" -> s.withCheckpointPages((int) v);
        case "retryBackoffMs" -> s.withRetryBackoff(Duration.ofMillis(v));
        case "applyBatchMax" -> s.withApplyBatchMax((int) v);
        case "shipIntervalMs" -> s.withShipInterval(Duration.ofMillis(v));
        default -> throw HadbException.invalidArgument("unknown sqlite engine setting '" + e.getKey()
            + "'; the sqlite engine knows " + new java.util.TreeSet<>(SETTINGS.keySet()));
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

  public static SqliteOptions defaults() {
    return new SqliteOptions(4, Duration.ofSeconds(5), Durability.ASYNC, 1000, EncodeOptions.plain(),
        DecodeOptions.defaults(), Duration.ofMillis(50), 256, SnapshotPolicy.manual(), Duration.ofMillis(5));
  }

  public SqliteOptions withReadConnections(int n) {
    return new SqliteOptions(n, busyTimeout, durability, checkpointPages, encode, decode, retryBackoff, applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withDurability(Durability d) {
    return new SqliteOptions(readConnections, busyTimeout, d, checkpointPages, encode, decode, retryBackoff, applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withCheckpointPages(int n) {
    return new SqliteOptions(readConnections, busyTimeout, durability, n, encode, decode, retryBackoff, applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withEncode(EncodeOptions e) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, e, decode, retryBackoff, applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withDecode(DecodeOptions d) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, d, retryBackoff, applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withRetryBackoff(Duration d) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode, d, applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withApplyBatchMax(int n) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode, retryBackoff, n, snapshots, shipInterval);
  }

  public SqliteOptions withSnapshots(SnapshotPolicy p) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode,
        retryBackoff, applyBatchMax, p, shipInterval);
  }

  /** {@link #busyTimeout()} in whole milliseconds, as SQLite's handlers take it. */
  public int busyTimeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis());
  }

  public SqliteOptions withBusyTimeout(Duration d) {
    return new SqliteOptions(readConnections, d, durability, checkpointPages, encode, decode, retryBackoff,
        applyBatchMax, snapshots, shipInterval);
  }

  public SqliteOptions withShipInterval(Duration d) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode,
        retryBackoff, applyBatchMax, snapshots, d);
  }
}
