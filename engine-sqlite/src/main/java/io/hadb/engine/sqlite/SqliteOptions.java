package io.hadb.engine.sqlite;

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
 * @param checkpointPages checkpoint (RESTART) the leader's WAL once it holds at least this many
 *     shipped frames
 * @param encode how changesets are stored (compression, encryption)
 * @param decode what a follower may read (the key for encrypted chains)
 * @param retryBackoff first pause after a failed upload; doubles up to 32× while it keeps failing
 * @param applyBatchMax most changesets a follower applies in one exclusive apply (1–4096); a
 *     follower that fell behind catches up in batches, paying the fsyncs once per batch
 * @param snapshots when the leader takes snapshots by itself and which it keeps
 */
public record SqliteOptions(int readConnections, Duration busyTimeout, Durability durability,
    int checkpointPages, EncodeOptions encode, DecodeOptions decode, Duration retryBackoff,
    int applyBatchMax, SnapshotPolicy snapshots) {
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
  }

  public static SqliteOptions defaults() {
    return new SqliteOptions(4, Duration.ofSeconds(5), Durability.ASYNC, 1000, EncodeOptions.plain(),
        DecodeOptions.defaults(), Duration.ofMillis(50), 256, SnapshotPolicy.manual());
  }

  public SqliteOptions withReadConnections(int n) {
    return new SqliteOptions(n, busyTimeout, durability, checkpointPages, encode, decode, retryBackoff, applyBatchMax, snapshots);
  }

  public SqliteOptions withDurability(Durability d) {
    return new SqliteOptions(readConnections, busyTimeout, d, checkpointPages, encode, decode, retryBackoff, applyBatchMax, snapshots);
  }

  public SqliteOptions withCheckpointPages(int n) {
    return new SqliteOptions(readConnections, busyTimeout, durability, n, encode, decode, retryBackoff, applyBatchMax, snapshots);
  }

  public SqliteOptions withEncode(EncodeOptions e) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, e, decode, retryBackoff, applyBatchMax, snapshots);
  }

  public SqliteOptions withDecode(DecodeOptions d) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, d, retryBackoff, applyBatchMax, snapshots);
  }

  public SqliteOptions withRetryBackoff(Duration d) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode, d, applyBatchMax, snapshots);
  }

  public SqliteOptions withApplyBatchMax(int n) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode, retryBackoff, n, snapshots);
  }

  public SqliteOptions withSnapshots(SnapshotPolicy p) {
    return new SqliteOptions(readConnections, busyTimeout, durability, checkpointPages, encode, decode,
        retryBackoff, applyBatchMax, p);
  }
}
