package io.hadb.cli.http;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /db/execute}, {@code /db/query} and {@code /db/request} (DESIGN §11) on one database.
 * Writes go through {@link HaDatabase#executeBatch}, which runs them here on the leader and
 * forwards them exactly once from a follower; an idempotency key becomes the request id, so a
 * client's retry after an unknown outcome applies at most once across failovers.
 */
final class DbEndpoints {
  /** The longest a query waits for a seq ({@code ?seq=N}) or a request for its read level. */
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  /** How a bounded-freshness refusal's message starts. */
  private static final String STALE = "stale: ";

  private DbEndpoints() {}

  /** A finished request: HTTP status and JSON body. */
  record Answer(int status, Map<String, Object> body) {}

  /**
   * Statement {@code index} failed; {@code done} holds the results of those before it that
   * applied (outside a transaction each statement applies on its own).
   */
  private static Answer failed(HadbException e, int index, String sql, List<Object> done, long startNanos) {
    Map<String, Object> body = ErrorReply.body(e);
    if (index >= 0) {
      body.put("statement", index);
      body.put("sql", sql);
    }
    body.put("results", done);
    if (String.valueOf(e.getMessage()).contains(STALE + "this node")) {
      body.put("retry", "this node's copy is staler than asked; retry after " + ErrorReply.RETRY_AFTER_SECONDS
          + " s, ask another node, or add &stale=leader");
    }
    body.put("time", seconds(startNanos));
    return new Answer(ErrorReply.status(e.code()), body);
  }

  static Answer execute(HaDatabase db, List<Statements.Parsed> statements, Params p, Optional<String> key) {
    long start = System.nanoTime();
    List<Object> results = new ArrayList<>();
    if (p.flag("transaction")) {
      List<SqlStatement> all = statements.stream().map(Statements.Parsed::statement).toList();
      try {
        for (ExecResult r : write(db, key, all)) {
          results.add(ResultJson.exec(r));
        }
      } catch (HadbException e) {
        int at = failedIndex(e, statements);
        return failed(e, at, at < 0 ? null : statements.get(at).statement().sql(), List.of(), start);
      }
    } else {
      for (Statements.Parsed s : statements) {
        Optional<String> k = key.map(x -> statements.size() == 1 ? x : x + "#" + s.index());
        try {
          results.add(ResultJson.exec(write(db, k, List.of(s.statement())).get(0)));
        } catch (HadbException e) {
          return failed(e, s.index(), s.statement().sql(), results, start);
        }
      }
    }
    return new Answer(200, done(db, results, p, start));
  }

  static Answer query(HaDatabase db, List<Statements.Parsed> statements, Params p) {
    long start = System.nanoTime();
    ReadConsistency level = level(p);
    Duration wait = p.duration("timeout", DEFAULT_WAIT, MAX_WAIT);
    boolean associative = p.flag("associative");
    List<Object> results = new ArrayList<>();
    try {
      awaitSeq(db, p.nonNegativeLong("seq", 0), wait);
      level = fresh(db, level, p);
    } catch (HadbException e) {
      return failed(e, 0, statements.get(0).statement().sql(), results, start);
    }
    for (Statements.Parsed s : statements) {
      try {
        results.add(ResultJson.query(read(db, level, s.statement()), associative));
      } catch (HadbException e) {
        return failed(e, s.index(), s.statement().sql(), results, start);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    body.put("time", seconds(start));
    return new Answer(200, body);
  }

  /** Mixed statements in order: queries read at the request's level, the rest are writes. */
  static Answer request(HaDatabase db, List<Statements.Parsed> statements, Params p, Optional<String> key) {
    boolean anyQuery = statements.stream().anyMatch(s -> Statements.isQuery(s.statement().sql()));
    if (!anyQuery) {
      return execute(db, statements, p, key);
    }
    if (p.flag("transaction")) {
      throw new Statements.BadRequest("?transaction takes writes only: a transaction with queries cannot be"
          + " forwarded as one unit; send the writes to /db/execute?transaction and query after");
    }
    long start = System.nanoTime();
    ReadConsistency level;
    try {
      level = fresh(db, level(p), p);
    } catch (HadbException e) {
      return failed(e, 0, statements.get(0).statement().sql(), List.of(), start);
    }
    boolean associative = p.flag("associative");
    List<Object> results = new ArrayList<>();
    for (Statements.Parsed s : statements) {
      try {
        if (Statements.isQuery(s.statement().sql())) {
          results.add(ResultJson.query(read(db, level, s.statement()), associative));
        } else {
          Optional<String> k = key.map(x -> x + "#" + s.index());
          results.add(ResultJson.exec(write(db, k, List.of(s.statement())).get(0)));
        }
      } catch (HadbException e) {
        return failed(e, s.index(), s.statement().sql(), results, start);
      }
    }
    return new Answer(200, done(db, results, p, start));
  }

  private static List<ExecResult> write(HaDatabase db, Optional<String> key, List<SqlStatement> statements) {
    return key.isPresent() ? db.executeBatch(key.get(), statements) : db.executeBatch(statements);
  }

  private static io.hadb.api.engine.QueryResult read(HaDatabase db, ReadConsistency level, SqlStatement s) {
    return db.query(level, s.sql(), s.params().toArray());
  }

  /**
   * The write's answer with the seq a later query may wait for ({@code ?seq=N} on any node). On a
   * SYNC leader it is the seq published last, at or after the write's own (the write returned
   * once durable). An ASYNC leader does not know it when it answers (the write ships later), so
   * it names none. A follower learns it only by waiting until its copy holds the write, which
   * costs up to a poll interval, so it does that only when asked ({@code ?seq} on the write).
   */
  private static Map<String, Object> done(HaDatabase db, List<Object> results, Params p, long start) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    if (db.role() == Role.LEADER) {
      if (db.durability() == Durability.SYNC) {
        body.put("seq", db.appliedSeq());
      }
    } else if (p.flag("seq")) {
      db.query(ReadConsistency.READ_YOUR_WRITES, "SELECT 1");
      body.put("seq", db.appliedSeq());
    }
    body.put("time", seconds(start));
    return body;
  }

  /**
   * The read level of {@code ?level=}: {@code local} (alias rqlite's {@code none}), {@code ryw}
   * (the default: this node's copy holds every write made through this node) or {@code leader}
   * (aliases {@code weak}, {@code strong}).
   */
  static ReadConsistency level(Params p) {
    String v = p.get("level").orElse("ryw").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "local", "none" -> ReadConsistency.LOCAL;
      case "ryw", "read_your_writes" -> ReadConsistency.READ_YOUR_WRITES;
      case "leader", "weak", "strong" -> ReadConsistency.LEADER;
      default -> throw new Statements.BadRequest("query parameter level must be local, ryw or leader"
          + " (rqlite's none, weak and strong are accepted), was '" + v + "'");
    };
  }

  /**
   * Bounded freshness ({@code ?freshness=1s}, rqlite's idea): a follower's copy may answer only if
   * it was last known to hold the whole chain at most that long ago (its last pull that reached
   * the chain's head began then; a leader is always fresh). A staler copy refuses with 503
   * {@code UNAVAILABLE}, or with {@code &stale=leader} the read runs on the leader instead. In
   * SYNC mode every write acknowledged before that moment is in the copy.
   */
  static ReadConsistency fresh(HaDatabase db, ReadConsistency level, Params p) {
    Optional<String> f = p.get("freshness");
    if (f.isEmpty() || level == ReadConsistency.LEADER) {
      return level;
    }
    Duration bound = p.duration("freshness", Duration.ZERO, Duration.ofDays(1));
    long stale = db.metrics().staleNanos();
    if (stale <= bound.toNanos()) {
      return level;
    }
    String onStale = p.get("stale").orElse("refuse");
    if (onStale.equals("leader")) {
      return ReadConsistency.LEADER;
    }
    if (!onStale.equals("refuse")) {
      throw new Statements.BadRequest("query parameter stale must be refuse or leader, was '" + onStale + "'");
    }
    throw HadbException.unavailable(STALE + "this node's copy was last known to hold the whole chain "
        + (stale == Long.MAX_VALUE ? "never" : stale / 1_000_000 + " ms ago") + ", more than freshness="
        + f.get() + "; retry, ask another node, add &stale=leader, or read at level=leader", null);
  }

  /** Waits until this node's copy applied {@code seq}, polling it; TIMEOUT after {@code wait}. */
  static void awaitSeq(HaDatabase db, long seq, Duration wait) {
    if (seq <= 0 || db.appliedSeq() >= seq) {
      return;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (db.appliedSeq() < seq) {
      if (System.nanoTime() - deadline > 0) {
        throw HadbException.timeout("this node's copy applied seq " + db.appliedSeq() + ", not " + seq + ", within "
            + wait.toMillis() + " ms; query another node, at level=leader, or with a longer ?timeout", null);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HadbException.timeout("interrupted while waiting for seq " + seq, e);
      }
    }
  }

  /**
   * Which statement of a transaction failed, as far as the engine's message tells: the one
   * statement whose text it quotes, or -1 when none or several match (the body then names no
   * index, only the engine's message).
   */
  private static int failedIndex(HadbException e, List<Statements.Parsed> statements) {
    if (statements.size() == 1) {
      return 0;
    }
    String msg = String.valueOf(e.getMessage());
    int found = -1;
    for (Statements.Parsed s : statements) {
      String sql = s.statement().sql().strip();
      if (msg.contains(sql.substring(0, Math.min(sql.length(), 80)))) {
        if (found >= 0) {
          return -1;
        }
        found = s.index();
      }
    }
    return found;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
