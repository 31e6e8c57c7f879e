package io.hadb.demo;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.lease.LeaseTimings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * One node of the demo cluster, run as its own JVM ({@code java -jar hadb-demo.jar node ...}):
 * an {@link HaDatabase} on the file: chain and the file: lease in the demo directory, SYNC
 * durability, driven by commands on stdin (see {@link Protocol}). The forwarding secret comes
 * from {@code HADB_FORWARD_SECRET}, set by the orchestrator, never from the command line.
 */
final class DemoNode {
  static final String DATABASE = "bank";
  private final PrintStream out;
  private final HaDatabase db;

  private DemoNode(PrintStream out, HaDatabase db) {
    this.out = out;
    this.db = db;
  }

  static String leaseUri(Path dir) {
    return "file://" + dir.resolve("leases").toAbsolutePath();
  }

  static String chainUri(Path dir) {
    return "file://" + dir.resolve("chain").toAbsolutePath();
  }

  static Path dbFile(Path dir, String id) {
    return dir.resolve(id).resolve(DATABASE + ".db");
  }

  /** Opens the node, reports {@code @READY}, then serves stdin until {@code stop} or its end. */
  static void run(Path dir, String id, Duration ttl, String engine) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    // keep stdout for the protocol: anything else a library prints goes to the node's log
    System.setOut(System.err);
    java.nio.file.Files.createDirectories(dbFile(dir, id).getParent());
    HaDatabase db = HaDatabase.builder()
        .engine(engine)
        .database(DATABASE)
        .nodeId(id)
        .lease(leaseUri(dir))
        .storage(chainUri(dir))
        .durability(Durability.SYNC)
        .timings(LeaseTimings.ofTtl(ttl))
        .open(dbFile(dir, id), Bank.SCHEMA);
    DemoNode node = new DemoNode(out, db);
    db.addRoleListener((role, epoch) -> node.emit(Protocol.line("ROLE", "role", role, "epoch", epoch)));
    node.emit(Protocol.line("READY", "node", id, "pid", ProcessHandle.current().pid(), "addr", db.address()));
    node.serve();
  }

  private void serve() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      switch (w[0]) {
        case "transfer" -> transfer(w);
        case "state" -> emit(Protocol.line("STATE", "role", db.role(), "epoch", db.epoch(), "seq", db.appliedSeq()));
        case "check" -> emit(check());
        case "stop" -> {
          db.close();
          emit(Protocol.line("STOPPED"));
          return;
        }
        default -> emit(Protocol.line("ERROR", "message", "unknown command: " + w[0]));
      }
    }
    db.close();
  }

  private void transfer(String[] w) {
    String req = w[1];
    try {
      db.executeBatch(req, Bank.transfer(req, Long.parseLong(w[2]), Long.parseLong(w[3]), Long.parseLong(w[4])));
      emit(Protocol.line("ACK", "req", req));
    } catch (HadbException e) {
      emit(Protocol.line("FAIL", "req", req, "code", e.code()));
    } catch (RuntimeException e) {
      emit(Protocol.line("FAIL", "req", req, "code", e.getClass().getSimpleName()));
    }
  }

  /** This copy's content as the orchestrator compares it: read locally, no forwarding. */
  private String check() throws Exception {
    QueryResult transfers = db.query(ReadConsistency.LOCAL, "SELECT req, src, dst, amount FROM transfers ORDER BY req");
    QueryResult accounts = db.query(ReadConsistency.LOCAL, "SELECT id, balance FROM accounts ORDER BY id");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    StringJoiner ids = new StringJoiner(",");
    for (List<SqlValue> row : transfers.rows()) {
      ids.add(text(row.get(0)));
      digest(sha, row);
    }
    long total = 0;
    for (List<SqlValue> row : accounts.rows()) {
      total += ((SqlValue.Int) row.get(1)).value();
      digest(sha, row);
    }
    return Protocol.line("CHECK", "seq", db.appliedSeq(), "rows", transfers.rows().size(), "total", total,
        "hash", HexFormat.of().formatHex(sha.digest()).substring(0, 16), "ids", ids.length() == 0 ? "-" : ids);
  }

  private static void digest(MessageDigest sha, List<SqlValue> row) {
    for (SqlValue v : row) {
      sha.update(text(v).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0x1f);
    }
    sha.update((byte) 0x1e);
  }

  private static String text(SqlValue v) {
    if (v instanceof SqlValue.Text t) {
      return t.value();
    }
    if (v instanceof SqlValue.Int i) {
      return Long.toString(i.value());
    }
    return v.toString();
  }

  private synchronized void emit(String line) {
    out.println(line);
  }
}
