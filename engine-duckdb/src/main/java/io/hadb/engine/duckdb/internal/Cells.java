package io.hadb.engine.duckdb.internal;

import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.UUID;

/**
 * DuckDB's values as the five storage classes every engine shares ({@link SqlValue}), the
 * mapping the README documents:
 *
 * <ul>
 *   <li>BOOLEAN: Int 1 or 0; TINYINT to BIGINT, UTINYINT to UINTEGER: Int; UBIGINT and HUGEINT:
 *       Int when the value fits in 64 bits, otherwise UNSUPPORTED naming the column;
 *   <li>FLOAT, DOUBLE and DECIMAL: Real (a DECIMAL beyond a double's 15–17 digits loses digits;
 *       cast it to VARCHAR to read it exactly);
 *   <li>VARCHAR, ENUM, UUID: Text; DATE, TIME, TIMESTAMP, TIMESTAMP WITH TIME ZONE: Text as DuckDB
 *       prints them ({@code 2024-01-02}, {@code 2024-01-02 03:04:05.123456},
 *       {@code ...+00:00});
 *   <li>BLOB: Blob; NULL of any type: Null;
 *   <li>anything else (LIST, STRUCT, MAP, INTERVAL, ...): UNSUPPORTED naming the column and
 *       its type, with the cast to use.
 * </ul>
 *
 * Parameters bind the other way: Int as BIGINT, Real as DOUBLE, Text as VARCHAR, Blob as BLOB.
 */
public final class Cells {
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
      .toFormatter();
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
      .toFormatter();

  private Cells() {}

  public static void bind(PreparedStatement ps, List<SqlValue> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      SqlValue v = params.get(i);
      int at = i + 1;
      if (v instanceof SqlValue.Int x) {
        ps.setLong(at, x.value());
      } else if (v instanceof SqlValue.Real x) {
        ps.setDouble(at, x.value());
      } else if (v instanceof SqlValue.Text x) {
        ps.setString(at, x.value());
      } else if (v instanceof SqlValue.Blob x) {
        ps.setBytes(at, x.value());
      } else {
        ps.setObject(at, null);
      }
    }
  }

  /** Cell {@code col} (1-based) of the current row. */
  public static SqlValue read(ResultSet rs, int col) throws SQLException {
    Object o = rs.getObject(col);
    if (o == null) {
      return SqlValue.NULL;
    }
    if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
      return SqlValue.of(((Number) o).longValue());
    }
    if (o instanceof String s) {
      return SqlValue.of(s);
    }
    if (o instanceof Double || o instanceof Float) {
      return SqlValue.of(((Number) o).doubleValue());
    }
    if (o instanceof Boolean b) {
      return SqlValue.of(b ? 1L : 0L);
    }
    if (o instanceof BigInteger big) {
      if (big.bitLength() < 64) {
        return SqlValue.of(big.longValue());
      }
      throw unsupported(rs, col, "the value " + big + " does not fit in 64 bits; cast it to DOUBLE or VARCHAR");
    }
    if (o instanceof BigDecimal d) {
      return SqlValue.of(d.doubleValue());
    }
    if (o instanceof java.sql.Blob b) {
      return SqlValue.of(b.getBytes(1, (int) b.length()));
    }
    if (o instanceof byte[] b) {
      return SqlValue.of(b);
    }
    if (o instanceof LocalDate d) {
      return SqlValue.of(d.toString());
    }
    if (o instanceof Timestamp t) {
      return SqlValue.of(TIMESTAMP.format(t.toLocalDateTime()));
    }
    if (o instanceof LocalDateTime t) {
      return SqlValue.of(TIMESTAMP.format(t));
    }
    if (o instanceof OffsetDateTime t) {
      return SqlValue.of(TIMESTAMP.format(t.toLocalDateTime()) + offset(t.getOffset().getId()));
    }
    if (o instanceof LocalTime t) {
      return SqlValue.of(TIME.format(t));
    }
    if (o instanceof java.sql.Time t) {
      return SqlValue.of(TIME.format(t.toLocalTime()));
    }
    if (o instanceof OffsetTime t) {
      return SqlValue.of(TIME.format(t.toLocalTime()) + offset(t.getOffset().getId()));
    }
    if (o instanceof UUID u) {
      return SqlValue.of(u.toString());
    }
    throw unsupported(rs, col, "cast it to VARCHAR (or another supported type) in the query");
  }

  private static String offset(String id) {
    return id.equals("Z") ? "+00:00" : id;
  }

  private static HadbException unsupported(ResultSet rs, int col, String what) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    return HadbException.unsupported("column " + col + " (" + md.getColumnName(col) + ") has DuckDB type "
        + md.getColumnTypeName(col) + ", which the duckdb engine does not carry as a value: " + what);
  }
}
