package io.hadb.engine.sqlite.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A small SQLite tokenizer: splits a string into statements and classifies each.
 *
 * <p>sqlite-jdbc does not expose {@code sqlite3_stmt_readonly()}, and that function would give
 * the wrong answer for this purpose anyway (it calls {@code BEGIN}, {@code COMMIT} and
 * {@code ATTACH} read-only, while a follower must forward them). So the classification is lexical,
 * and it errs towards "mutation": a statement it cannot place runs on the leader, which is slower
 * but never wrong. The read pool's connections are opened read-only with {@code query_only} on,
 * so a statement misclassified as a read fails there instead of writing.
 */
public final class SqlText {

  /** Statements that read only, whatever their arguments. */
  private static final Set<String> READ_KEYWORDS = Set.of("SELECT", "VALUES", "EXPLAIN");

  /** Pragmas that take an argument in parentheses and still only read. */
  private static final Set<String> READ_PRAGMAS_WITH_ARG = Set.of(
      "TABLE_INFO", "TABLE_XINFO", "TABLE_LIST", "INDEX_INFO", "INDEX_XINFO", "INDEX_LIST",
      "FOREIGN_KEY_LIST", "FOREIGN_KEY_CHECK", "INTEGRITY_CHECK", "QUICK_CHECK");

  /** Pragmas that change the database file even without an argument. */
  private static final Set<String> WRITE_PRAGMAS_NO_ARG =
      Set.of("OPTIMIZE", "WAL_CHECKPOINT", "INCREMENTAL_VACUUM");

  private static final Set<String> TRANSACTION_CONTROL =
      Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");

  private SqlText() {}

  /** A lexical token; {@code text} is upper-cased for bare words. */
  record Token(Kind kind, String text, int start, int end) {
    boolean isWord(String w) {
      return kind == Kind.WORD && text.equals(w);
    }

    boolean isPunct(char c) {
      return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }
  }

  enum Kind { WORD, QUOTED, STRING, NUMBER, PUNCT }

  /** One statement of a string: its tokens (never empty) and its source text. */
  public record Statement(List<Token> tokens, String text) {
    /** The first keyword, upper case ("" when the statement does not start with a word). */
    public String keyword() {
      Token t = tokens.get(0);
      return t.kind() == Kind.WORD ? t.text() : "";
    }

    /** Whether the statement may change the database (see {@link SqlText}). */
    public boolean isMutation() {
      String first = keyword();
      if (READ_KEYWORDS.contains(first)) {
        return false;
      }
      if (first.equals("WITH")) {
        return withIsMutation();
      }
      if (first.equals("PRAGMA")) {
        return pragmaIsMutation();
      }
      return true;
    }

    /** Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...), which the library owns. */
    public boolean isTransactionControl() {
      return TRANSACTION_CONTROL.contains(keyword());
    }

    /** The pragma's name, upper case, without schema; empty when this is not a pragma. */
    public String pragmaName() {
      if (!keyword().equals("PRAGMA") || tokens.size() < 2) {
        return "";
      }
      int i = 1;
      if (tokens.size() > 3 && tokens.get(2).isPunct('.')) {
        i = 3;
      }
      Token t = tokens.get(i);
      return t.kind() == Kind.WORD || t.kind() == Kind.QUOTED
          ? t.text().toUpperCase(Locale.ROOT) : "";
    }

    private boolean withIsMutation() {
      // The CTE bodies sit inside parentheses; the statement's own verb is the first of these
      // words at depth 0 (CTE names that collide with keywords must be quoted, so are QUOTED).
      int depth = 0;
      for (Token t : tokens) {
        if (t.isPunct('(')) {
          depth++;
        } else if (t.isPunct(')')) {
          depth--;
        } else if (depth == 0 && t.kind() == Kind.WORD) {
          switch (t.text()) {
            case "SELECT", "VALUES":
              return false;
            case "INSERT", "UPDATE", "DELETE", "REPLACE":
              return true;
            default:
              break;
          }
        }
      }
      return true;
    }

    private boolean pragmaIsMutation() {
      String name = pragmaName();
      boolean assigns = false;
      boolean call = false;
      for (Token t : tokens) {
        if (t.isPunct('=')) {
          assigns = true;
        } else if (t.isPunct('(')) {
          call = true;
        }
      }
      if (assigns) {
        return true;
      }
      if (call) {
        return !READ_PRAGMAS_WITH_ARG.contains(name);
      }
      return WRITE_PRAGMAS_NO_ARG.contains(name);
    }
  }

  /** Whether any statement in {@code sql} may change the database. */
  public static boolean isMutation(String sql) {
    for (Statement s : split(sql)) {
      if (s.isMutation()) {
        return true;
      }
    }
    return false;
  }

  /** The statements of {@code sql}, without empty ones (a lone ";" or only comments). */
  public static List<Statement> split(String sql) {
    List<Token> all = tokenize(sql);
    List<Statement> out = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    // Inside CREATE TRIGGER ... BEGIN ... END the ';' separate the body's statements, not ours.
    boolean trigger = false;
    boolean inBody = false;
    int caseDepth = 0;
    for (Token t : all) {
      if (t.isPunct(';') && !inBody) {
        flush(sql, current, out);
        trigger = false;
        continue;
      }
      if (current.isEmpty()) {
        trigger = false;
      }
      current.add(t);
      if (!trigger && current.size() <= 4 && t.isWord("TRIGGER") && current.get(0).isWord("CREATE")) {
        trigger = true;
      }
      if (trigger && t.kind() == Kind.WORD) {
        if (!inBody && t.text().equals("BEGIN")) {
          inBody = true;
          caseDepth = 0;
        } else if (inBody && t.text().equals("CASE")) {
          caseDepth++;
        } else if (inBody && t.text().equals("END")) {
          if (caseDepth > 0) {
            caseDepth--;
          } else {
            inBody = false;
          }
        }
      }
    }
    flush(sql, current, out);
    return out;
  }

  private static void flush(String sql, List<Token> current, List<Statement> out) {
    if (!current.isEmpty()) {
      int start = current.get(0).start();
      int end = current.get(current.size() - 1).end();
      out.add(new Statement(List.copyOf(current), sql.substring(start, end)));
      current.clear();
    }
  }

  static List<Token> tokenize(String sql) {
    List<Token> out = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'') {
        int end = quoted(sql, i, '\'');
        out.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
        i = end;
      } else if (c == '"' || c == '`') {
        int end = quoted(sql, i, c);
        out.add(new Token(Kind.QUOTED, unquote(sql, i, end), i, end));
        i = end;
      } else if (c == '[') {
        int close = sql.indexOf(']', i + 1);
        int end = close < 0 ? n : close + 1;
        out.add(new Token(Kind.QUOTED, sql.substring(i + 1, Math.max(i + 1, end - 1)), i, end));
        i = end;
      } else if (isWordStart(c)) {
        int j = i + 1;
        while (j < n && isWordPart(sql.charAt(j))) {
          j++;
        }
        out.add(new Token(Kind.WORD, sql.substring(i, j).toUpperCase(Locale.ROOT), i, j));
        i = j;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
          j++;
        }
        out.add(new Token(Kind.NUMBER, sql.substring(i, j), i, j));
        i = j;
      } else if ((c == '?' || c == ':' || c == '@' || c == '$') && i + 1 < n
          && (isWordPart(sql.charAt(i + 1)))) {
        int j = i + 1;
        while (j < n && isWordPart(sql.charAt(j))) {
          j++;
        }
        out.add(new Token(Kind.NUMBER, sql.substring(i, j), i, j));
        i = j;
      } else {
        out.add(new Token(Kind.PUNCT, String.valueOf(c), i, i + 1));
        i++;
      }
    }
    return out;
  }

  /**
   * Where an unterminated quote, bracketed name or block comment starts, or -1 when every one is
   * closed: {@link #split} would take the rest of the text into it.
   */
  public static int unterminatedAt(String sql) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          return i;
        }
        i = close + 2;
      } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
        int end = c == '[' ? sql.indexOf(']', i + 1) + 1 : closedQuoteEnd(sql, i, c);
        if (end <= 0) {
          return i;
        }
        i = end;
      } else {
        i++;
      }
    }
    return -1;
  }

  /** As {@link #quoted}, but 0 when the run is never closed. */
  private static int closedQuoteEnd(String sql, int start, char q) {
    for (int i = start + 1; i < sql.length(); i++) {
      if (sql.charAt(i) == q) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return 0;
  }

  /** End (exclusive) of a quoted run starting at {@code start}; a doubled quote escapes it. */
  private static int quoted(String sql, int start, char q) {
    int n = sql.length();
    int i = start + 1;
    while (i < n) {
      if (sql.charAt(i) == q) {
        if (i + 1 < n && sql.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  private static String unquote(String sql, int start, int end) {
    char q = sql.charAt(start);
    int bodyEnd = end > start + 1 && sql.charAt(end - 1) == q ? end - 1 : end;
    String body = sql.substring(start + 1, Math.max(start + 1, bodyEnd));
    return body.replace(String.valueOf(q) + q, String.valueOf(q));
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c > 0x7f;
  }

  private static boolean isWordPart(char c) {
    return isWordStart(c) || (c >= '0' && c <= '9') || c == '$';
  }

  /** {@code sql} shortened for an error message: one line, at most {@code max} characters. */
  public static String abbreviate(String sql, int max) {
    String flat = sql.strip().replaceAll("\\s+", " ");
    return flat.length() <= max ? flat : flat.substring(0, max) + "…";
  }
}
