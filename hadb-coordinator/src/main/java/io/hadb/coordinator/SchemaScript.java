package io.hadb.coordinator;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The schema an {@link HaDatabase} opens with, applied once per database whatever the number of
 * nodes and failovers: the leader runs it in one transaction together with an insert of its
 * SHA-256 into {@code _hadb_schema} (a normal, replicated table). A script already recorded is
 * not run again, so even non-idempotent statements ({@code INSERT}) run once. A changed script
 * (another hash) runs once more: write it so it also works on the previous schema.
 *
 * <p>SQLite dialect. The script is split at ';' outside quotes, comments and
 * {@code CREATE TRIGGER ... END} bodies.
 */
final class SchemaScript {
  static final String TABLE = "_hadb_schema";
  private static final SqlStatement CREATE = SqlStatement.of("CREATE TABLE IF NOT EXISTS " + TABLE
      + "(hash TEXT PRIMARY KEY NOT NULL, statements INTEGER NOT NULL)");

  private final List<SqlStatement> statements;
  private final String hash;

  SchemaScript(String sql) {
    HadbException.requireArg(sql, "schemaSql");
    this.statements = split(sql).stream().map(s -> SqlStatement.of(s)).toList();
    this.hash = sha256(sql);
  }

  List<SqlStatement> statements() {
    return statements;
  }

  /** Runs the script on the leader's executor unless it ran before; returns whether it ran. */
  boolean applyOnce(Executor executor) {
    if (statements.isEmpty() || recorded(executor)) {
      return false;
    }
    List<SqlStatement> batch = new ArrayList<>(statements.size() + 2);
    batch.add(CREATE);
    batch.add(SqlStatement.of("INSERT INTO " + TABLE + "(hash, statements) VALUES (?, ?)", hash, statements.size()));
    batch.addAll(statements);
    try {
      executor.executeBatch(batch);
      return true;
    } catch (HadbException e) {
      if (e.code() == ErrorCode.SQL_ERROR && recorded(executor)) {
        return false; // recorded meanwhile: the primary key refused the second run
      }
      throw e;
    }
  }

  private boolean recorded(Executor executor) {
    boolean table = !executor.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
        List.of(SqlValue.of(TABLE))).rows().isEmpty();
    return table && !executor.query("SELECT 1 FROM " + TABLE + " WHERE hash = ?",
        List.of(SqlValue.of(hash))).rows().isEmpty();
  }

  /** Splits at ';' outside quotes, comments and trigger bodies; drops empty statements. */
  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    StringBuilder word = new StringBuilder();
    List<String> words = new ArrayList<>(); // upper-cased words of the current statement
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`' || c == '[') {
        char close = c == '[' ? ']' : c;
        int end = sql.indexOf(close, i + 1);
        while (end >= 0 && close != ']' && end + 1 < n && sql.charAt(end + 1) == close) {
          end = sql.indexOf(close, end + 2); // doubled quote inside a literal
        }
        if (end < 0) {
          throw HadbException.invalidArgument("schemaSql: unterminated " + c + " starting at offset " + i);
        }
        cur.append(sql, i, end + 1);
        i = end;
        continue;
      }
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end;
        cur.append('\n');
        continue;
      }
      if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw HadbException.invalidArgument("schemaSql: unterminated /* comment starting at offset " + i);
        }
        i = end + 1;
        cur.append(' ');
        continue;
      }
      if (Character.isLetterOrDigit(c) || c == '_') {
        word.append(c);
      } else if (word.length() > 0) {
        words.add(word.toString().toUpperCase(Locale.ROOT));
        word.setLength(0);
      }
      if (c == ';' && !(isTrigger(words) && !words.get(words.size() - 1).equals("END"))) {
        add(out, cur);
        words.clear();
        continue;
      }
      cur.append(c);
    }
    add(out, cur);
    return out;
  }

  private static boolean isTrigger(List<String> words) {
    return words.size() >= 2 && words.get(0).equals("CREATE") && words.subList(1, Math.min(5, words.size())).contains("TRIGGER");
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
