package io.hadb.coordinator.forward.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.ForwardedWrite;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The forwarding wire format (documented byte by byte in the module README). Big-endian, length
 * prefixed; every length is checked against the bytes actually present before anything is
 * allocated, so a hostile or truncated body fails with INVALID_ARGUMENT naming what was wrong.
 */
public final class Wire {
  public static final int VERSION = 1;
  public static final int MAX_BODY_BYTES = 64 << 20;
  public static final int MAX_STATEMENTS = 10_000;
  public static final int MAX_PARAMS = 32_766;
  public static final int MAX_ID_BYTES = 128;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final byte REQ_0 = 'H';
  private static final byte REQ_1 = 'F';
  private static final byte RES_0 = 'H';
  private static final byte RES_1 = 'R';
  private static final int KIND_WRITE = 1;
  private static final int KIND_READ = 2;
  private static final int FLAG_REPLAYED = 1;
  private static final int T_NULL = 0;
  private static final int T_INT = 1;
  private static final int T_REAL = 2;
  private static final int T_TEXT = 3;
  private static final int T_BLOB = 4;

  private Wire() {}

  /** Throws INVALID_ARGUMENT unless {@code id} is 1–128 characters of {@code [A-Za-z0-9._:-]}. */
  public static String checkRequestId(String id) {
    HadbException.requireArg(id, "request id");
    if (!ID.matcher(id).matches()) {
      throw HadbException.invalidArgument(
          "request id must be 1-" + MAX_ID_BYTES + " characters of [A-Za-z0-9._:-], was '"
              + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'");
    }
    return id;
  }

  // ------------------------------------------------------------------ request

  public static byte[] encodeRequest(ForwardRequest r) {
    checkRequestId(r.requestId());
    if (r.statements().isEmpty() || r.statements().size() > MAX_STATEMENTS) {
      throw HadbException.invalidArgument("a forwarded request holds 1-" + MAX_STATEMENTS
          + " statements, this one " + r.statements().size());
    }
    if (r.kind() == ForwardRequest.Kind.READ && r.statements().size() != 1) {
      throw HadbException.invalidArgument("a forwarded read holds exactly one statement");
    }
    return write(out -> {
      out.writeByte(REQ_0);
      out.writeByte(REQ_1);
      out.writeByte(VERSION);
      out.writeByte(r.kind() == ForwardRequest.Kind.WRITE ? KIND_WRITE : KIND_READ);
      byte[] id = r.requestId().getBytes(StandardCharsets.US_ASCII);
      out.writeShort(id.length);
      out.write(id);
      out.writeInt(r.statements().size());
      for (SqlStatement s : r.statements()) {
        writeString(out, s.sql());
        if (s.params().size() > MAX_PARAMS) {
          throw HadbException.invalidArgument("a statement takes at most " + MAX_PARAMS + " parameters, got "
              + s.params().size());
        }
        out.writeInt(s.params().size());
        for (SqlValue v : s.params()) {
          writeValue(out, v);
        }
      }
    });
  }

  public static ForwardRequest decodeRequest(byte[] body) {
    Reader in = new Reader(body, "forwarded request");
    in.magic(REQ_0, REQ_1);
    int kind = in.u8("kind");
    if (kind != KIND_WRITE && kind != KIND_READ) {
      throw in.bad("unknown kind " + kind);
    }
    int idLen = in.u16("request id length");
    String id = checkRequestId(new String(in.bytes(idLen, "request id"), StandardCharsets.US_ASCII));
    int n = in.count("statement count", 1, kind == KIND_READ ? 1 : MAX_STATEMENTS);
    List<SqlStatement> statements = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String sql = in.string("sql of statement " + i);
      int p = in.count("parameter count of statement " + i, 0, MAX_PARAMS);
      List<SqlValue> params = new ArrayList<>(p);
      for (int j = 0; j < p; j++) {
        params.add(in.value("parameter " + (j + 1) + " of statement " + i));
      }
      statements.add(new SqlStatement(sql, params));
    }
    in.end();
    return new ForwardRequest(kind == KIND_WRITE ? ForwardRequest.Kind.WRITE : ForwardRequest.Kind.READ, id,
        statements);
  }

  // ------------------------------------------------------------------ responses

  public static byte[] encodeWrite(ForwardedWrite w) {
    return write(out -> {
      header(out, KIND_WRITE, w.replayed() ? FLAG_REPLAYED : 0);
      out.writeLong(w.seq());
      out.writeInt(w.results().size());
      for (ExecResult r : w.results()) {
        out.writeLong(r.rowsAffected());
        out.writeLong(r.lastInsertId());
      }
    });
  }

  public static ForwardedWrite decodeWrite(byte[] body) {
    Reader in = new Reader(body, "forwarded write response");
    int flags = in.responseHeader(KIND_WRITE);
    long seq = in.i64("seq");
    int n = in.count("result count", 0, MAX_STATEMENTS);
    List<ExecResult> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      results.add(new ExecResult(in.i64("rows of result " + i), in.i64("last insert id of result " + i)));
    }
    in.end();
    return new ForwardedWrite(results, seq, (flags & FLAG_REPLAYED) != 0);
  }

  public static byte[] encodeQuery(QueryResult q) {
    return write(out -> {
      header(out, KIND_READ, 0);
      out.writeInt(q.columns().size());
      for (String c : q.columns()) {
        writeString(out, c);
      }
      out.writeInt(q.rows().size());
      for (List<SqlValue> row : q.rows()) {
        if (row.size() != q.columns().size()) {
          throw new HadbException(ErrorCode.INTERNAL, "query row has " + row.size() + " values for "
              + q.columns().size() + " columns");
        }
        for (SqlValue v : row) {
          writeValue(out, v);
        }
      }
    });
  }

  public static QueryResult decodeQuery(byte[] body) {
    Reader in = new Reader(body, "forwarded read response");
    in.responseHeader(KIND_READ);
    int cols = in.count("column count", 0, MAX_PARAMS);
    List<String> columns = new ArrayList<>(cols);
    for (int i = 0; i < cols; i++) {
      columns.add(in.string("column " + i));
    }
    // Each value takes at least one byte: a row count the body cannot hold is refused up front.
    int rows = in.count("row count", 0, Integer.MAX_VALUE);
    if (cols > 0 && (long) rows * cols > in.remaining()) {
      throw in.bad("row count " + rows + " exceeds the bytes present");
    }
    List<List<SqlValue>> out = new ArrayList<>(Math.min(rows, 1 << 16));
    for (int r = 0; r < rows; r++) {
      List<SqlValue> row = new ArrayList<>(cols);
      for (int c = 0; c < cols; c++) {
        row.add(in.value("row " + r + " column " + c));
      }
      out.add(row);
    }
    in.end();
    return new QueryResult(columns, out);
  }

  /** An error answer: UTF-8 text lines {@code code=…}, {@code statement=…}, {@code message=…}. */
  public static byte[] encodeError(WireError e) {
    String msg = e.message() == null ? "" : e.message().replace('\n', ' ').replace('\r', ' ');
    return ("code=" + e.code().name() + "\nstatement=" + e.statementIndex() + "\nmessage=" + msg + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The error in {@code body}, or one built from the status when the body is not ours (a proxy's
   * page): UNKNOWN_OUTCOME for a 5xx, INTERNAL otherwise.
   */
  public static WireError decodeError(int status, byte[] body) {
    ErrorCode code = null;
    int index = -1;
    String message = null;
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String k = line.substring(0, eq);
      String v = line.substring(eq + 1);
      switch (k) {
        case "code" -> code = codeOf(v);
        case "statement" -> index = parseIndex(v);
        case "message" -> message = v;
        default -> { } // a later version may add lines
      }
    }
    if (code == null || message == null) {
      // Not the leader's answer (a proxy's page, say): a 5xx may come after the request reached it.
      return status >= 500
          ? new WireError(ErrorCode.UNKNOWN_OUTCOME, -1, "HTTP " + status + " without a hadb error body;"
              + " the request may have reached the leader")
          : new WireError(ErrorCode.INTERNAL, -1, "HTTP " + status + " without a hadb error body");
    }
    return new WireError(code, index, message);
  }

  private static ErrorCode codeOf(String name) {
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ErrorCode.INTERNAL;
    }
  }

  private static int parseIndex(String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------ encoding helpers

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Body b) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      b.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    if (bytes.size() > MAX_BODY_BYTES) {
      throw HadbException.invalidArgument("forwarded message is " + bytes.size() + " bytes, the limit is "
          + MAX_BODY_BYTES);
    }
    return bytes.toByteArray();
  }

  private static void header(DataOutputStream out, int kind, int flags) throws IOException {
    out.writeByte(RES_0);
    out.writeByte(RES_1);
    out.writeByte(VERSION);
    out.writeByte(kind);
    out.writeByte(flags);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void writeValue(DataOutputStream out, SqlValue v) throws IOException {
    if (v instanceof SqlValue.Int i) {
      out.writeByte(T_INT);
      out.writeLong(i.value());
    } else if (v instanceof SqlValue.Real r) {
      out.writeByte(T_REAL);
      out.writeLong(Double.doubleToRawLongBits(r.value()));
    } else if (v instanceof SqlValue.Text t) {
      out.writeByte(T_TEXT);
      writeString(out, t.value());
    } else if (v instanceof SqlValue.Blob b) {
      byte[] bytes = b.value();
      out.writeByte(T_BLOB);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else {
      out.writeByte(T_NULL);
    }
  }

  // ------------------------------------------------------------------ decoding

  /** Bounds-checked reads that name the field and offset in every error. */
  private static final class Reader {
    private final ByteBuffer b;
    private final String what;

    Reader(byte[] body, String what) {
      this.b = ByteBuffer.wrap(body);
      this.what = what;
    }

    HadbException bad(String why) {
      return HadbException.invalidArgument(what + " is malformed at byte " + b.position() + ": " + why);
    }

    int remaining() {
      return b.remaining();
    }

    void magic(byte m0, byte m1) {
      if (b.remaining() < 3 || b.get() != m0 || b.get() != m1) {
        b.position(0);
        throw bad("not a hadb forwarding message (bad magic)");
      }
      int v = b.get() & 0xff;
      if (v != VERSION) {
        throw bad("version " + v + ", this node speaks " + VERSION);
      }
    }

    int responseHeader(int kind) {
      magic(RES_0, RES_1);
      int k = u8("kind");
      if (k != kind) {
        throw bad("kind " + k + ", expected " + kind);
      }
      return u8("flags");
    }

    int u8(String field) {
      need(1, field);
      return b.get() & 0xff;
    }

    int u16(String field) {
      need(2, field);
      return b.getShort() & 0xffff;
    }

    long i64(String field) {
      need(8, field);
      return b.getLong();
    }

    int count(String field, int min, int max) {
      need(4, field);
      int n = b.getInt();
      if (n < min || n > max) {
        throw bad(field + " " + n + " is outside " + min + "-" + max);
      }
      return n;
    }

    byte[] bytes(int n, String field) {
      if (n < 0 || n > b.remaining()) {
        throw bad(field + " claims " + (n & 0xffffffffL) + " bytes, " + b.remaining() + " remain");
      }
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    String string(String field) {
      need(4, field + " length");
      byte[] raw = bytes(b.getInt(), field);
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(raw)).toString();
      } catch (CharacterCodingException e) {
        throw bad(field + " is not valid UTF-8");
      }
    }

    SqlValue value(String field) {
      int tag = u8(field + " type");
      return switch (tag) {
        case T_NULL -> SqlValue.NULL;
        case T_INT -> new SqlValue.Int(i64(field));
        case T_REAL -> new SqlValue.Real(Double.longBitsToDouble(i64(field)));
        case T_TEXT -> new SqlValue.Text(string(field));
        case T_BLOB -> {
          need(4, field + " length");
          yield new SqlValue.Blob(bytes(b.getInt(), field));
        }
        default -> throw bad(field + " has unknown type " + tag);
      };
    }

    void end() {
      if (b.hasRemaining()) {
        throw bad(b.remaining() + " trailing bytes");
      }
    }

    private void need(int n, String field) {
      if (b.remaining() < n) {
        throw bad(field + " needs " + n + " bytes, " + b.remaining() + " remain");
      }
    }
  }
}
