package io.hadb.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a migration script into statements at semicolons that are outside quotes ('…', "…",
 * `…`, […]), comments (-- and block comments) and trigger bodies (CREATE TRIGGER … BEGIN … END).
 * Empty statements are dropped.
 */
final class ScriptSplitter {
  private ScriptSplitter() {}

  static List<String> split(String script, String where) throws SQLException {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = script.length();
    int depth = 0; // BEGIN … END nesting inside a trigger
    for (int i = 0; i < n; ) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"' || c == '`' || c == '[') {
        char close = c == '[' ? ']' : c;
        int end = i + 1;
        while (true) {
          end = script.indexOf(close, end);
          if (end < 0) {
            throw new SQLException(where + ": a quote " + c + " opened at offset " + i + " is never closed", "42000");
          }
          if (close != ']' && end + 1 < n && script.charAt(end + 1) == close) {
            end += 2; // a doubled quote inside the quoted text
            continue;
          }
          break;
        }
        cur.append(script, i, end + 1);
        i = end + 1;
      } else if (script.startsWith("--", i)) {
        int end = script.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
        cur.append('\n');
      } else if (script.startsWith("/*", i)) {
        int end = script.indexOf("*/", i + 2);
        if (end < 0) {
          throw new SQLException(where + ": a comment opened at offset " + i + " is never closed", "42000");
        }
        i = end + 2;
        cur.append(' ');
      } else if (Character.isLetter(c)) {
        int end = i;
        while (end < n && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
          end++;
        }
        String word = script.substring(i, end).toUpperCase(Locale.ROOT);
        if (word.equals("BEGIN") && isTrigger(cur)) {
          depth++;
        } else if (word.equals("END") && depth > 0) {
          depth--;
        }
        cur.append(script, i, end);
        i = end;
      } else if (c == ';' && depth == 0) {
        add(out, cur);
        i++;
      } else {
        cur.append(c);
        i++;
      }
    }
    add(out, cur);
    return out;
  }

  private static boolean isTrigger(StringBuilder statement) {
    String s = statement.toString().toUpperCase(Locale.ROOT).strip();
    return s.startsWith("CREATE") && s.matches("(?s)CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b.*");
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }
}
