package io.hadb.conformance.engine;

import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.conformance.gen.Gen;
import java.util.List;

/**
 * One step of a random transaction history for the engine contract's replication rule: a
 * transaction the leader runs, or a pull of the follower (which then must hold the leader's rows).
 * The SQL is plain enough for every SQL engine: one table of an integer key, text, a number and a
 * blob, changed by inserts, updates over key ranges and deletes; a blob of up to 20,000 bytes
 * spills over several pages of any common page size.
 */
public sealed interface HistoryStep {

  /** The table every history writes, created by the first step. */
  String TABLE = "CREATE TABLE hist (id INTEGER PRIMARY KEY, k TEXT, n BIGINT, b BLOB)";

  /** The query whose rows leader and follower must agree on. */
  String ROWS = "SELECT id, k, n, b FROM hist ORDER BY id";

  /** Statements run as one transaction ({@code executeBatch}), or one {@code execute} when single. */
  record Tx(List<SqlStatement> statements) implements HistoryStep {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("tx[");
      for (SqlStatement s : statements) {
        b.append(b.length() > 3 ? "; " : "").append(s.sql()).append(' ').append(describe(s.params()));
      }
      return b.append(']').toString();
    }
  }

  /** The follower pulls; afterwards its rows must equal the leader's as of the seq it reached. */
  record Pull() implements HistoryStep {
    @Override
    public String toString() {
      return "pull";
    }
  }

  private static String describe(List<SqlValue> params) {
    StringBuilder b = new StringBuilder("(");
    for (SqlValue v : params) {
      b.append(b.length() > 1 ? ", " : "");
      if (v instanceof SqlValue.Blob blob) {
        b.append(blob.value().length).append(" bytes");
      } else if (v instanceof SqlValue.Text t) {
        b.append('\'').append(t.value()).append('\'');
      } else if (v instanceof SqlValue.Int i) {
        b.append(i.value());
      } else {
        b.append(v);
      }
    }
    return b.append(')').toString();
  }

  /** Keys are drawn from a small range so updates and deletes find rows. */
  Gen<Integer> IDS = Gen.ints(0, 40);

  Gen<SqlStatement> INSERT = c -> {
    int id = c.draw(IDS);
    String k = c.draw(Gen.strings("abcxyz;'", 0, 12));
    long n = c.draw(Gen.longs(-1_000_000, 1_000_000));
    int len = c.draw(Gen.frequency(Gen.weight(3, Gen.ints(0, 200)), Gen.weight(1, Gen.ints(0, 20_000))));
    byte[] blob = new byte[len];
    for (int i = 0; i < len; i++) {
      blob[i] = (byte) (id * 31 + i * 7 + n);
    }
    // INSERT OR REPLACE is not portable; an existing key makes the whole transaction fail, which
    // leader and follower must then agree on too.
    return SqlStatement.of("INSERT INTO hist (id, k, n, b) VALUES (?, ?, ?, ?)", (long) id, k, n, blob);
  };

  Gen<SqlStatement> UPDATE = c -> {
    int from = c.draw(IDS);
    int width = c.draw(Gen.ints(0, 10));
    long delta = c.draw(Gen.longs(-50, 50));
    return SqlStatement.of("UPDATE hist SET n = n + ?, k = k || 'u' WHERE id BETWEEN ? AND ?", delta, (long) from,
        (long) (from + width));
  };

  Gen<SqlStatement> DELETE = c -> SqlStatement.of("DELETE FROM hist WHERE id = ?", (long) (int) c.draw(IDS));

  Gen<SqlStatement> STATEMENT = Gen.<SqlStatement>frequency(Gen.weight(5, INSERT), Gen.weight(3, UPDATE), Gen.weight(2, DELETE));

  /** A step: mostly transactions of one to four statements, sometimes a pull. */
  Gen<HistoryStep> STEP = Gen.<HistoryStep>frequency(
      Gen.weight(5, Gen.lists(STATEMENT, 1, 4).map(Tx::new)),
      Gen.weight(1, Gen.constant(new Pull())));

  /** Histories of 1 to 30 steps (shrinking drops steps and simplifies the rest). */
  Gen<List<HistoryStep>> HISTORIES = Gen.lists(STEP, 1, 30);
}
