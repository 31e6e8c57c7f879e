package io.hadb.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@link java.sql.Statement#execute} needs to know of a statement before running it: whether
 * it answers rows (a query) or a count (a write), and whether it may insert (so it has a
 * generated key). Read from its first keyword, after comments and parentheses.
 */
final class SqlKind {
  private static final Pattern WRITES = Pattern.compile("\\b(INSERT|UPDATE|DELETE|REPLACE)\\b");
  private static final Pattern RETURNING = Pattern.compile("\\bRETURNING\\b");

  private SqlKind() {}

  static boolean returnsRows(String sql) {
    String kw = firstKeyword(sql);
    String upper = sql.toUpperCase(Locale.ROOT);
    switch (kw) {
      case "SELECT", "VALUES", "EXPLAIN", "SHOW", "DESCRIBE":
        return true;
      case "PRAGMA":
        return !upper.contains("=");
      case "WITH":
        return !WRITES.matcher(upper).find() || RETURNING.matcher(upper).find();
      case "INSERT", "UPDATE", "DELETE", "REPLACE":
        return RETURNING.matcher(upper).find();
      default:
        return false;
    }
  }

  static boolean mayInsert(String sql) {
    String kw = firstKeyword(sql);
    return kw.equals("INSERT") || kw.equals("REPLACE");
  }

  static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(' || c == ';') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int e = sql.indexOf('\n', i);
        i = e < 0 ? n : e + 1;
      } else if (sql.startsWith("/*", i)) {
        int e = sql.indexOf("*/", i + 2);
        i = e < 0 ? n : e + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }
}
