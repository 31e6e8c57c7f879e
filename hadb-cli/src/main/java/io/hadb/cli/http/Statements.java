package io.hadb.cli.http;

import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request body in rqlite's shape (DESIGN §11) into statements: a JSON array whose items
 * are {@code "sql"}, {@code ["sql", p1, p2, …]} or {@code ["sql", {"name": v, …}]}. Named
 * parameters ({@code :name}, {@code @name}, {@code $name}) are bound by rewriting each to a
 * positional {@code ?}, so every engine sees the same positional statement.
 */
final class Statements {
  private Statements() {}

  /** A statement as the client sent it: its position in the list and its text, for error messages. */
  record Parsed(int index, SqlStatement statement) {}

  /** Bad request content: the message names the statement (0-based) and what is wrong with it. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  static List<Parsed> parse(Object json, int maxStatements) {
    if (!(json instanceof List<?> items)) {
      throw new BadRequest("the body must be a JSON array of statements, e.g. [\"SELECT 1\"] or"
          + " [[\"INSERT INTO t(v) VALUES(?)\", 1]]");
    }
    if (items.isEmpty()) {
      throw new BadRequest("the body holds no statement: send a JSON array of at least one");
    }
    if (items.size() > maxStatements) {
      throw new BadRequest("the body holds " + items.size() + " statements; this server takes at most "
          + maxStatements + " per request (--max-statements)");
    }
    List<Parsed> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(new Parsed(i, one(i, items.get(i))));
    }
    return out;
  }

  private static SqlStatement one(int i, Object item) {
    if (item instanceof String sql) {
      return new SqlStatement(nonBlank(i, sql), List.of());
    }
    if (!(item instanceof List<?> parts) || parts.isEmpty() || !(parts.get(0) instanceof String sql)) {
      throw new BadRequest("statement " + i + " must be a string or an array whose first item is the SQL string");
    }
    nonBlank(i, sql);
    if (parts.size() == 2 && parts.get(1) instanceof Map<?, ?> named) {
      return named(i, sql, named);
    }
    List<SqlValue> params = new ArrayList<>(parts.size() - 1);
    for (int p = 1; p < parts.size(); p++) {
      params.add(value(i, "parameter " + p, parts.get(p)));
    }
    return new SqlStatement(sql, params);
  }

  private static String nonBlank(int i, String sql) {
    if (sql.isBlank()) {
      throw new BadRequest("statement " + i + " is empty");
    }
    return sql;
  }

  static SqlValue value(int i, String what, Object v) {
    if (v == null) {
      return SqlValue.NULL;
    }
    if (v instanceof Long l) {
      return SqlValue.of(l);
    }
    if (v instanceof Double d) {
      return SqlValue.of(d);
    }
    if (v instanceof String s) {
      return SqlValue.of(s);
    }
    if (v instanceof Boolean b) {
      return SqlValue.of(b ? 1L : 0L);
    }
    throw new BadRequest("statement " + i + ": " + what + " is a JSON " + (v instanceof List ? "array" : "object")
        + "; a parameter is null, a number, a string or a boolean");
  }

  /** Rewrites {@code :name @name $name} to {@code ?} outside quotes and comments, binding each use. */
  private static SqlStatement named(int i, String sql, Map<?, ?> values) {
    StringBuilder out = new StringBuilder(sql.length());
    List<SqlValue> params = new ArrayList<>();
    int n = sql.length();
    int p = 0;
    while (p < n) {
      char c = sql.charAt(p);
      if (c == '\'' || c == '"' || c == '`') {
        int end = sql.indexOf(c, p + 1);
        end = end < 0 ? n : end + 1;
        out.append(sql, p, end);
        p = end;
      } else if (c == '-' && p + 1 < n && sql.charAt(p + 1) == '-') {
        int end = sql.indexOf('\n', p);
        end = end < 0 ? n : end;
        out.append(sql, p, end);
        p = end;
      } else if (c == '/' && p + 1 < n && sql.charAt(p + 1) == '*') {
        int end = sql.indexOf("*/", p + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, p, end);
        p = end;
      } else if ((c == ':' || c == '@' || c == '$') && p + 1 < n && isNameStart(sql.charAt(p + 1))
          && !(c == ':' && p > 0 && sql.charAt(p - 1) == ':')) {
        int end = p + 1;
        while (end < n && isNamePart(sql.charAt(end))) {
          end++;
        }
        String name = sql.substring(p + 1, end);
        if (!values.containsKey(name)) {
          throw new BadRequest("statement " + i + " names parameter " + c + name + ", which the request does not give"
              + " (given: " + values.keySet() + ")");
        }
        params.add(value(i, "parameter " + name, values.get(name)));
        out.append('?');
        p = end;
      } else {
        out.append(c);
        p++;
      }
    }
    return new SqlStatement(out.toString(), params);
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /**
   * Whether a statement of {@code /db/request} is read as a query: it starts with a keyword that
   * only reads (after comments and whitespace). Anything else runs as a write on the leader.
   */
  static boolean isQuery(String sql) {
    String s = stripLeadingComments(sql).toUpperCase(Locale.ROOT);
    for (String k : List.of("SELECT", "WITH", "EXPLAIN", "VALUES", "SHOW", "DESCRIBE")) {
      if (s.startsWith(k) && (s.length() == k.length() || !Character.isLetterOrDigit(s.charAt(k.length())))) {
        return true;
      }
    }
    return false;
  }

  private static String stripLeadingComments(String sql) {
    int p = 0;
    int n = sql.length();
    while (p < n) {
      if (Character.isWhitespace(sql.charAt(p))) {
        p++;
      } else if (sql.startsWith("--", p)) {
        int e = sql.indexOf('\n', p);
        p = e < 0 ? n : e + 1;
      } else if (sql.startsWith("/*", p)) {
        int e = sql.indexOf("*/", p + 2);
        p = e < 0 ? n : e + 2;
      } else {
        break;
      }
    }
    return sql.substring(p);
  }
}
