package io.hadb.engine.sqlite;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.chain.Capture;
import io.hadb.chain.Captured;
import io.hadb.engine.sqlite.internal.CapturedPages;
import io.hadb.engine.sqlite.internal.WalCapture;
import io.hadb.engine.sqlite.internal.WalReader;
import java.nio.file.Path;
import java.util.List;

/**
 * The leader's commits, read from the WAL (DESIGN §6.5). Safe without the write lock: committed
 * frames never move until the next checkpoint, which only the shipper thread takes, after
 * shipping them; a frame still being written fails its checksum and ends the scan before it, at
 * the last complete commit.
 */
final class SqliteCapture implements Capture {
  private final Path db;
  private final WalReader wal;

  SqliteCapture(Path db) {
    this.db = db;
    this.wal = new WalReader(WalReader.walOf(db));
  }

  /** The reader the checkpoints share: they announce the restarts they cause and check its position. */
  WalReader wal() {
    return wal;
  }

  @Override
  public Captured read() {
    WalCapture c = wal.readCommitted();
    if (c.restarted()) {
      throw new HadbException(ErrorCode.CORRUPT, "the WAL of " + db + " was restarted behind the"
          + " replicator (another process checkpointed it); commits may be missing from the chain,"
          + " so publishing stops: take a snapshot to resume");
    }
    return c.isEmpty() ? Captured.NONE : new Captured(new CapturedPages(wal, List.of(c)), c.commits());
  }

  @Override
  public long unread() {
    return wal.readCommitted().commits();
  }

  @Override
  public void close() {
    wal.close();
  }
}
