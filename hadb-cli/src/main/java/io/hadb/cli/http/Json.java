package io.hadb.cli.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the HTTP API reads and writes: objects as {@link Map} (insertion order), arrays as
 * {@link List}, numbers as {@link Long} when whole and within range, else {@link Double}, and
 * strings, booleans and null. Small on purpose: the API needs nothing a JSON library adds, and the
 * server's jar stays free of one more dependency to keep current.
 */
public final class Json {
  /** Nesting deeper than this is refused: a request is a list of short lists, never a deep tree. */
  private static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Bad JSON: the message names the offset and what was expected there. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /** Parses one JSON value filling the whole text (whitespace around it allowed). */
  public static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.skipSpace();
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("end of input after the value");
    }
    return v;
  }

  private Object value(int depth) throws ParseException {
    if (depth > MAX_DEPTH) {
      throw error("at most " + MAX_DEPTH + " levels of nesting");
    }
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("a value (object, array, string, number, true, false or null)");
    }
  }

  private Map<String, Object> object(int depth) throws ParseException {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("a member name in double quotes");
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      m.put(name, value(depth + 1));
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        pos--;
        throw error("',' or '}' in an object");
      }
    }
  }

  private List<Object> array(int depth) throws ParseException {
    List<Object> l = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return l;
    }
    while (true) {
      skipSpace();
      l.add(value(depth + 1));
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return l;
      }
      if (c != ',') {
        pos--;
        throw error("',' or ']' in an array");
      }
    }
  }

  private String string() throws ParseException {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("the closing '\"' of a string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("no raw control character inside a string (escape it)");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("an escape after '\\'");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("four hex digits after \\u");
          }
          try {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException x) {
            throw error("four hex digits after \\u");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        }
      }
    }
  }

  private Object number() throws ParseException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    boolean whole = true;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c >= '0' && c <= '9') {
        pos++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        whole = false;
        pos++;
      } else {
        break;
      }
    }
    String n = text.substring(start, pos);
    try {
      if (whole) {
        try {
          return Long.parseLong(n);
        } catch (NumberFormatException tooBig) {
          return new BigDecimal(n).doubleValue();
        }
      }
      return Double.parseDouble(n);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("a number");
    }
  }

  private Object literal(String word, Object v) throws ParseException {
    if (!text.startsWith(word, pos)) {
      throw error("a value (object, array, string, number, true, false or null)");
    }
    pos += word.length();
    return v;
  }

  private void expect(char c) throws ParseException {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private ParseException error(String expected) {
    String found = pos >= text.length() ? "the end of the body"
        : "'" + text.substring(pos, Math.min(text.length(), pos + 12)).replace("\n", "\\n") + "'";
    return new ParseException("malformed JSON at offset " + pos + ": expected " + expected + ", found " + found);
  }

  /** Writes {@code v} (Map, List, CharSequence, Number, Boolean, byte[] as base64, or null). */
  public static String write(Object v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof CharSequence s) {
      quote(sb, s.toString());
    } else if (v instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
    } else if (v instanceof Float f) {
      write(sb, f.doubleValue());
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof byte[] b) {
      quote(sb, java.util.Base64.getEncoder().encodeToString(b));
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append('}');
    } else if (v instanceof Iterable<?> l) {
      sb.append('[');
      boolean first = true;
      for (Object o : l) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, o);
      }
      sb.append(']');
    } else {
      quote(sb, v.toString());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            // < > & escaped too: a JSON document embedded in the status page cannot end its script
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
