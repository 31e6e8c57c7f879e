package io.hadb.engine.duckdb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DuckDB's SQL read lexically, as far as the library needs it: splitting a script at top-level
 * semicolons, the first keyword of a statement, and whether it may write. Quotes ({@code '...'},
 * {@code "..."}, with doubled quotes inside), comments ({@code --}, {@code /* *}{@code /}) and
 * dollar-quoted strings ({@code $$...$$}, {@code $tag$...$tag$}) are skipped.
 */
public final class SqlScan {
  /** Statements that only read, by their first keyword (DuckDB's FROM-first queries included). */
  private static final Set<String> READING = Set.of("SELECT", "FROM", "VALUES", "SHOW", "DESCRIBE", "DESC",
      "SUMMARIZE", "EXPLAIN", "PRAGMA", "CALL", "TABLE");
  private static final Set<String> WRITING_IN_WITH = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");

  private SqlScan() {}

  /** The statements of {@code script}, trimmed, empty ones dropped; call {@link #unterminatedAt} first. */
  public static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == ';') {
        add(out, script.substring(start, i));
        start = ++i;
      } else {
        int skip = skip(script, i);
        i = skip < 0 ? n : skip;
      }
    }
    add(out, script.substring(start));
    return out;
  }

  /** Adds {@code stmt} without its leading whitespace and comments, unless nothing else is left. */
  private static void add(List<String> out, String stmt) {
    int i = 0;
    int n = stmt.length();
    while (i < n) {
      char c = stmt.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && stmt.charAt(i + 1) == '-' || c == '/' && i + 1 < n && stmt.charAt(i + 1) == '*') {
        int next = skip(stmt, i);
        i = next < 0 ? n : next;
      } else {
        out.add(stmt.substring(i).strip());
        return;
      }
    }
  }

  /** Offset of a quote, comment or dollar string that never ends, or -1. */
  public static int unterminatedAt(String script) {
    int i = 0;
    while (i < script.length()) {
      int next = skip(script, i);
      if (next < 0) {
        return i;
      }
      i = next;
    }
    return -1;
  }

  /**
   * The offset after the token starting at {@code i}: past a whole quoted string, comment or
   * dollar string, else {@code i + 1}; -1 when that token never ends.
   */
  private static int skip(String s, int i) {
    char c = s.charAt(i);
    int n = s.length();
    if (c == '\'' || c == '"') {
      int j = i + 1;
      while (j < n) {
        if (s.charAt(j) == c) {
          if (j + 1 < n && s.charAt(j + 1) == c) {
            j += 2;
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return -1;
    }
    if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
      int end = s.indexOf('\n', i);
      return end < 0 ? n : end + 1;
    }
    if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
      int end = s.indexOf("*/", i + 2);
      return end < 0 ? -1 : end + 2;
    }
    if (c == '$' && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '_')) {
      int close = s.indexOf('$', i + 1);
      if (close > 0 && isTag(s, i + 1, close)) {
        String tag = s.substring(i, close + 1);
        int end = s.indexOf(tag, close + 1);
        return end < 0 ? -1 : end + tag.length();
      }
    }
    return i + 1;
  }

  private static boolean isTag(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char ch = s.charAt(k);
      if (!(Character.isLetter(ch) || ch == '_' || k > from && Character.isDigit(ch))) {
        return false;
      }
    }
    return true;
  }

  /** The first keyword of {@code sql}, upper case, past comments and opening parentheses; null when none. */
  public static String keyword(String sql) {
    return firstWord(sql, 0);
  }

  private static String firstWord(String s, int from) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-' || c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int next = skip(s, i);
        i = next < 0 ? n : next;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        return s.substring(i, j).toUpperCase(Locale.ROOT);
      } else {
        return String.valueOf(c);
      }
    }
    return null;
  }

  /**
   * Whether {@code sql} may change the database: anything but a query. A {@code WITH} statement
   * writes when it holds INSERT, UPDATE, DELETE or MERGE outside quotes; {@code EXPLAIN ANALYZE}
   * runs its statement.
   */
  public static boolean isMutation(String sql) {
    String kw = keyword(sql);
    if (kw == null) {
      return false;
    }
    if (kw.equals("WITH")) {
      return hasWord(sql, WRITING_IN_WITH);
    }
    if (kw.equals("EXPLAIN")) {
      return hasWord(sql, Set.of("ANALYZE", "ANALYSE")) && hasWord(sql, Set.of("INSERT", "UPDATE", "DELETE",
          "CREATE", "DROP", "ALTER", "MERGE", "COPY"));
    }
    return !READING.contains(kw);
  }

  private static boolean hasWord(String s, Set<String> words) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        if (words.contains(s.substring(i, j).toUpperCase(Locale.ROOT))) {
          return true;
        }
        i = j;
      } else {
        int next = skip(s, i);
        i = next < 0 ? n : next;
      }
    }
    return false;
  }

  public static String abbreviate(String sql, int max) {
    String flat = sql.strip().replaceAll("\\s+", " ");
    return flat.length() <= max ? flat : flat.substring(0, max) + "…";
  }
}
