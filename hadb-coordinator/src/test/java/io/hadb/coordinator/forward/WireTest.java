package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.internal.ForwardRequest;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format: exact round trips, and bad bytes refused with the field named. */
class WireTest {
  static final List<SqlValue> ALL = List.of(SqlValue.NULL, SqlValue.of(Long.MIN_VALUE), SqlValue.of(-0.0),
      SqlValue.of(Double.NaN), SqlValue.of("é€😀"), SqlValue.of(new byte[] {0, -1, 7}), SqlValue.of(""));

  @Test
  void requestsAndResponsesRoundTripExactly() {
    ForwardRequest r = new ForwardRequest(ForwardRequest.Kind.WRITE, "id-1:x.y_z",
        List.of(new SqlStatement("INSERT INTO t VALUES (?,?,?,?,?,?,?)", ALL), SqlStatement.of("DELETE FROM t")));
    assertEquals(r, Wire.decodeRequest(Wire.encodeRequest(r)));
    ForwardedWrite w = new ForwardedWrite(List.of(new ExecResult(3, Long.MAX_VALUE), new ExecResult(0, 0)), 99, true);
    assertEquals(w, Wire.decodeWrite(Wire.encodeWrite(w)));
    QueryResult q = new QueryResult(List.of("a", "b", "c", "d", "e", "f", "g"), List.of(ALL, ALL));
    QueryResult back = Wire.decodeQuery(Wire.encodeQuery(q));
    assertEquals(q.columns(), back.columns());
    assertEquals(q.rows(), back.rows());
    assertEquals(Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(((SqlValue.Real) back.rows().get(0).get(2)).value()), "-0.0 keeps its sign");
    WireError e = new WireError(ErrorCode.SQL_ERROR, 3, "no such table: x\nsecond line");
    WireError eb = Wire.decodeError(400, Wire.encodeError(e));
    assertEquals(new WireError(ErrorCode.SQL_ERROR, 3, "no such table: x second line"), eb);
  }

  @Test
  void everyTruncationOfARequestIsRefusedAsInvalidArgument() {
    byte[] full = Wire.encodeRequest(new ForwardRequest(ForwardRequest.Kind.WRITE, "abc",
        List.of(new SqlStatement("INSERT INTO t VALUES (?,?,?,?,?,?,?)", ALL))));
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      HadbException e = assertThrows(HadbException.class, () -> Wire.decodeRequest(cut), "prefix of " + n);
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().contains("at byte"), e.getMessage());
    }
    byte[] longer = Arrays.copyOf(full, full.length + 1);
    assertThrows(HadbException.class, () -> Wire.decodeRequest(longer), "trailing bytes");
  }

  @Test
  void hugeLengthsAreRefusedBeforeAllocating() {
    byte[] full = Wire.encodeRequest(new ForwardRequest(ForwardRequest.Kind.WRITE, "abc",
        List.of(SqlStatement.of("SELECT 1"))));
    // The sql length field follows magic(2) version(1) kind(1) id length(2) id(3) count(4).
    byte[] bad = full.clone();
    bad[13] = 0x7f;
    HadbException e = assertThrows(HadbException.class, () -> Wire.decodeRequest(bad));
    assertTrue(e.getMessage().contains("sql of statement 0 claims"), e.getMessage());
    byte[] badCount = full.clone();
    badCount[9] = 0x7f;
    e = assertThrows(HadbException.class, () -> Wire.decodeRequest(badCount));
    assertTrue(e.getMessage().contains("statement count"), e.getMessage());
  }

  @Test
  void requestIdsAreCheckedOnBothSides() {
    assertThrows(HadbException.class, () -> Wire.checkRequestId(""));
    assertThrows(HadbException.class, () -> Wire.checkRequestId("a b"));
    assertThrows(HadbException.class, () -> Wire.checkRequestId("x".repeat(129)));
    assertEquals("x".repeat(128), Wire.checkRequestId("x".repeat(128)));
  }

  @Test
  void aForeignErrorPageBecomesAnErrorOfTheStatusClass() {
    // A proxy's 502 may come after the request reached the leader: not a definite refusal.
    assertEquals(ErrorCode.UNKNOWN_OUTCOME, Wire.decodeError(502, "<html>bad gateway</html>".getBytes()).code());
    assertEquals(ErrorCode.INTERNAL, Wire.decodeError(404, new byte[0]).code());
  }

  @Test
  void theSecretSignsTheBodyAndNeverShowsItself() {
    ForwardingSecret s = ForwardingSecret.of("0123456789abcdef");
    byte[] body = {1, 2, 3};
    String sig = s.sign("orders", body);
    assertTrue(s.verify("orders", body, sig));
    assertFalse(s.verify("orders", new byte[] {1, 2, 4}, sig), "another body");
    assertFalse(s.verify("orders2", body, sig), "another database: a signed request cannot be sent to another one");
    assertFalse(s.verify(null, body, sig), "no database named");
    assertFalse(ForwardingSecret.of("0123456789abcdeF").verify("orders", body, sig), "another secret");
    assertFalse(s.verify("orders", body, null));
    assertFalse(s.verify("orders", body, "zz"));
    assertArrayEquals(new byte[] {1, 2, 3}, body);
    HadbException e = assertThrows(HadbException.class, () -> ForwardingSecret.of("short-secret"));
    assertFalse(e.getMessage().contains("short-secret"));
    assertEquals("ForwardingSecret[redacted]", s.toString());
  }
}
