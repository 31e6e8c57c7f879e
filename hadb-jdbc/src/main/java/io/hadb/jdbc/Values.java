package io.hadb.jdbc;

import io.hadb.api.engine.SqlValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Java values to the engine's five storage classes and back. Dates and times are bound as
 * ISO-8601 text (what SQLite's date functions read); {@code java.sql.Date}, {@code Time} and
 * {@code Timestamp} the same way, and read back from such text or from epoch milliseconds.
 */
final class Values {
  private Values() {}

  static SqlValue bind(Object v) throws SQLException {
    if (v == null) {
      return SqlValue.NULL;
    }
    if (v instanceof BigDecimal d) {
      try {
        return SqlValue.of(d.longValueExact());
      } catch (ArithmeticException notWhole) {
        return SqlValue.of(d.doubleValue());
      }
    }
    if (v instanceof BigInteger b) {
      try {
        return SqlValue.of(b.longValueExact());
      } catch (ArithmeticException tooBig) {
        return SqlValue.of(b.toString());
      }
    }
    if (v instanceof Character c) {
      return SqlValue.of(c.toString());
    }
    if (v instanceof java.sql.Timestamp t) {
      return SqlValue.of(t.toLocalDateTime().toString());
    }
    if (v instanceof java.sql.Date d) {
      return SqlValue.of(d.toLocalDate().toString());
    }
    if (v instanceof java.sql.Time t) {
      return SqlValue.of(t.toLocalTime().toString());
    }
    if (v instanceof java.util.Date d) {
      return SqlValue.of(d.getTime());
    }
    if (v instanceof LocalDate || v instanceof LocalDateTime || v instanceof LocalTime || v instanceof Instant
        || v instanceof OffsetDateTime || v instanceof UUID) {
      return SqlValue.of(v.toString());
    }
    if (v instanceof Enum<?> e) {
      return SqlValue.of(e.name());
    }
    try {
      return SqlValue.ofObject(v);
    } catch (RuntimeException e) {
      throw new SQLException("cannot bind a " + v.getClass().getName() + ": use null, a number, a String, a byte[],"
          + " a date or time, a UUID or an enum", "22023", e);
    }
  }

  /** The JDBC object of a cell: Integer when it fits (as sqlite-jdbc answers), else Long; Double; String; byte[]. */
  static Object object(SqlValue v) {
    if (v instanceof SqlValue.Int i) {
      return i.value() == (int) i.value() ? (Object) (int) i.value() : (Object) i.value();
    }
    if (v instanceof SqlValue.Real r) {
      return r.value();
    }
    if (v instanceof SqlValue.Text t) {
      return t.value();
    }
    if (v instanceof SqlValue.Blob b) {
      return b.value();
    }
    return null;
  }

  static String string(SqlValue v) {
    if (v instanceof SqlValue.Int i) {
      return Long.toString(i.value());
    }
    if (v instanceof SqlValue.Real r) {
      return Double.toString(r.value());
    }
    if (v instanceof SqlValue.Text t) {
      return t.value();
    }
    if (v instanceof SqlValue.Blob b) {
      return new String(b.value(), StandardCharsets.UTF_8);
    }
    return null;
  }

  static long longOf(SqlValue v, String column) throws SQLException {
    if (v instanceof SqlValue.Int i) {
      return i.value();
    }
    if (v instanceof SqlValue.Real r) {
      return (long) r.value();
    }
    if (v instanceof SqlValue.Null) {
      return 0;
    }
    return (long) decimalOf(v, column).doubleValue();
  }

  static double doubleOf(SqlValue v, String column) throws SQLException {
    if (v instanceof SqlValue.Int i) {
      return i.value();
    }
    if (v instanceof SqlValue.Real r) {
      return r.value();
    }
    if (v instanceof SqlValue.Null) {
      return 0;
    }
    return decimalOf(v, column).doubleValue();
  }

  static BigDecimal decimalOf(SqlValue v, String column) throws SQLException {
    if (v instanceof SqlValue.Int i) {
      return BigDecimal.valueOf(i.value());
    }
    if (v instanceof SqlValue.Real r) {
      return BigDecimal.valueOf(r.value());
    }
    if (v instanceof SqlValue.Text t) {
      try {
        return new BigDecimal(t.value().strip());
      } catch (NumberFormatException e) {
        throw new SQLException("column " + column + " holds '" + t.value() + "', not a number", "22018", e);
      }
    }
    if (v instanceof SqlValue.Blob) {
      throw new SQLException("column " + column + " holds a blob, not a number", "22018");
    }
    return null;
  }

  static byte[] bytes(SqlValue v) {
    if (v instanceof SqlValue.Blob b) {
      return b.value();
    }
    String s = string(v);
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static java.sql.Timestamp timestamp(SqlValue v, String column) throws SQLException {
    if (v instanceof SqlValue.Null) {
      return null;
    }
    if (v instanceof SqlValue.Int i) {
      return new java.sql.Timestamp(i.value());
    }
    String s = string(v).strip().replace(' ', 'T');
    try {
      if (s.length() == 10) {
        return java.sql.Timestamp.valueOf(LocalDate.parse(s).atStartOfDay());
      }
      if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return java.sql.Timestamp.from(OffsetDateTime.parse(s).toInstant());
      }
      return java.sql.Timestamp.valueOf(LocalDateTime.parse(s));
    } catch (RuntimeException e) {
      throw new SQLException("column " + column + " holds '" + s + "', not a date and time", "22007", e);
    }
  }
}
