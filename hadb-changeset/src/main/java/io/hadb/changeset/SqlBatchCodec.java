package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.ChangesetFormatException.Problem;
import io.hadb.changeset.internal.Be;
import io.hadb.changeset.internal.Errors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@link JournalEntry#KIND_SQL_BATCH} entry (FORMAT.md §6.2): statements with
 * positional parameters, applied in one transaction.
 *
 * <pre>
 * u32 statement count (>= 1)
 * per statement: u32 sql length, sql (UTF-8), u32 parameter count, parameters
 * per parameter: u8 tag, then 0 NULL: nothing | 1 INTEGER: i64 | 2 REAL: IEEE 754 f64 bits
 *                | 3 TEXT: u32 length + UTF-8 | 4 BLOB: u32 length + bytes
 * </pre>
 */
public final class SqlBatchCodec {
  private static final int NULL = 0;
  private static final int INTEGER = 1;
  private static final int REAL = 2;
  private static final int TEXT = 3;
  private static final int BLOB = 4;

  private SqlBatchCodec() {}

  public static byte[] encode(List<SqlStatement> statements) {
    HadbException.requireArg(statements, "statements");
    if (statements.isEmpty()) {
      throw HadbException.invalidArgument("an SQL batch needs at least one statement");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b8 = new byte[8];
    writeInt(out, b8, statements.size());
    for (SqlStatement s : statements) {
      HadbException.requireArg(s, "statement");
      writeBytes(out, b8, s.sql().getBytes(StandardCharsets.UTF_8));
      writeInt(out, b8, s.params().size());
      for (SqlValue v : s.params()) {
        if (v instanceof SqlValue.Null) {
          out.write(NULL);
        } else if (v instanceof SqlValue.Int i) {
          out.write(INTEGER);
          Be.putLong(b8, 0, i.value());
          out.write(b8, 0, 8);
        } else if (v instanceof SqlValue.Real r) {
          out.write(REAL);
          Be.putLong(b8, 0, Double.doubleToRawLongBits(r.value()));
          out.write(b8, 0, 8);
        } else if (v instanceof SqlValue.Text t) {
          out.write(TEXT);
          writeBytes(out, b8, t.value().getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof SqlValue.Blob bl) {
          out.write(BLOB);
          writeBytes(out, b8, bl.value());
        } else {
          throw HadbException.invalidArgument("unsupported SQL value " + v);
        }
      }
    }
    byte[] result = out.toByteArray();
    if (result.length > Limits.MAX_ENTRY_SIZE) {
      throw HadbException.invalidArgument("the SQL batch encodes to " + result.length
          + " bytes; an entry holds at most " + Limits.MAX_ENTRY_SIZE);
    }
    return result;
  }

  private static void writeInt(ByteArrayOutputStream out, byte[] b8, int v) {
    Be.putInt(b8, 0, v);
    out.write(b8, 0, 4);
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] b8, byte[] data) {
    writeInt(out, b8, data.length);
    out.write(data, 0, data.length);
  }

  /** Decodes a payload; a malformed one is {@link Problem#BAD_PAYLOAD}. */
  public static List<SqlStatement> decode(byte[] payload) {
    return decode(payload, null, -1);
  }

  static void validate(byte[] payload, String name, long offset) {
    decode(payload, name, offset);
  }

  private static List<SqlStatement> decode(byte[] p, String name, long offset) {
    HadbException.requireArg(p, "payload");
    Cursor c = new Cursor(p, name, offset);
    int count = c.count("statement count", 4 + 4);
    if (count < 1) {
      throw c.bad("an SQL batch has at least one statement");
    }
    List<SqlStatement> statements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String sql = c.utf8("sql of statement " + i);
      int n = c.count("parameter count of statement " + i, 1);
      List<SqlValue> params = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        int tag = c.u8("parameter tag");
        switch (tag) {
          case NULL -> params.add(SqlValue.NULL);
          case INTEGER -> params.add(SqlValue.of(c.i64("integer parameter")));
          case REAL -> params.add(SqlValue.of(Double.longBitsToDouble(c.i64("real parameter"))));
          case TEXT -> params.add(new SqlValue.Text(c.utf8("text parameter")));
          case BLOB -> params.add(new SqlValue.Blob(c.bytes("blob parameter")));
          default -> throw c.bad("unknown parameter tag " + tag + " in statement " + i);
        }
      }
      statements.add(new SqlStatement(sql, params));
    }
    if (c.pos != p.length) {
      throw c.bad((p.length - c.pos) + " bytes follow the last statement");
    }
    return statements;
  }

  /** Every length is checked against the bytes left in the payload before it is used. */
  private static final class Cursor {
    final byte[] p;
    final String name;
    final long offset;
    int pos;

    Cursor(byte[] p, String name, long offset) {
      this.p = p;
      this.name = name;
      this.offset = offset;
    }

    ChangesetFormatException bad(String detail) {
      return Errors.format(Problem.BAD_PAYLOAD, name, offset,
          "SQL batch payload byte " + pos + ": " + detail);
    }

    void need(long n, String what) {
      if (n > p.length - pos) {
        throw bad(what + " needs " + n + " bytes, " + (p.length - pos) + " remain");
      }
    }

    int u8(String what) {
      need(1, what);
      return p[pos++] & 0xFF;
    }

    long i64(String what) {
      need(8, what);
      long v = Be.getLong(p, pos);
      pos += 8;
      return v;
    }

    long u32(String what) {
      need(4, what);
      long v = Be.getInt(p, pos) & 0xFFFF_FFFFL;
      pos += 4;
      return v;
    }

    /** A count whose items take at least {@code minItem} bytes each, so it is bounded by them. */
    int count(String what, int minItem) {
      long n = u32(what);
      if (n * minItem > p.length - pos) {
        throw bad(what + " " + n + " cannot fit in the " + (p.length - pos) + " bytes left");
      }
      return (int) n;
    }

    byte[] bytes(String what) {
      long n = u32(what + " length");
      need(n, what);
      byte[] b = new byte[(int) n];
      System.arraycopy(p, pos, b, 0, (int) n);
      pos += (int) n;
      return b;
    }

    String utf8(String what) {
      long n = u32(what + " length");
      need(n, what);
      CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try {
        String s = d.decode(ByteBuffer.wrap(p, pos, (int) n)).toString();
        pos += (int) n;
        return s;
      } catch (CharacterCodingException e) {
        throw bad(what + " is not valid UTF-8");
      }
    }
  }
}
