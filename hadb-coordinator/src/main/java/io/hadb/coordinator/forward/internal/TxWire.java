package io.hadb.coordinator.forward.internal;

import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request format of a follower's transaction on the leader (DESIGN §12): {@code 'H' 'T'},
 * version, op, the transaction id (u16 length, ASCII), then for BEGIN its lifetime in
 * milliseconds (i64), for EXEC and QUERY one statement as a forwarding request (i32 length, then
 * {@link Wire#encodeRequest}), nothing for COMMIT and ROLLBACK. Answers use {@link Wire}'s
 * write, query and error encodings. Every length is checked against the bytes present.
 */
public final class TxWire {
  private static final byte MAGIC_0 = 'H';
  private static final byte MAGIC_1 = 'T';
  private static final int VERSION = 1;

  /** What a transaction request asks. */
  public enum Op { BEGIN, EXEC, QUERY, COMMIT, ROLLBACK }

  /**
   * One transaction request.
   *
   * @param lifetimeMillis BEGIN only: how long the leader keeps the transaction open at most
   * @param statement EXEC and QUERY only
   */
  public record TxRequest(Op op, String txId, long lifetimeMillis, SqlStatement statement) {}

  private TxWire() {}

  public static byte[] encode(TxRequest r) {
    byte[] id = Wire.checkRequestId(r.txId()).getBytes(StandardCharsets.US_ASCII);
    byte[] stmt = switch (r.op()) {
      case EXEC -> Wire.encodeRequest(new ForwardRequest(ForwardRequest.Kind.WRITE, r.txId(), List.of(r.statement())));
      case QUERY -> Wire.encodeRequest(new ForwardRequest(ForwardRequest.Kind.READ, r.txId(), List.of(r.statement())));
      default -> new byte[0];
    };
    ByteBuffer b = ByteBuffer.allocate(4 + 2 + id.length + 8 + 4 + stmt.length);
    b.put(MAGIC_0).put(MAGIC_1).put((byte) VERSION).put((byte) r.op().ordinal());
    b.putShort((short) id.length).put(id);
    if (r.op() == Op.BEGIN) {
      b.putLong(r.lifetimeMillis());
    } else if (stmt.length > 0) {
      b.putInt(stmt.length).put(stmt);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  public static TxRequest decode(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body);
    need(b, 6, "header");
    if (b.get() != MAGIC_0 || b.get() != MAGIC_1) {
      throw HadbException.invalidArgument("not a transaction request (bad magic)");
    }
    int version = b.get();
    if (version != VERSION) {
      throw HadbException.invalidArgument("transaction request version " + version + ", this node reads " + VERSION);
    }
    int op = b.get();
    if (op < 0 || op >= Op.values().length) {
      throw HadbException.invalidArgument("unknown transaction op " + op);
    }
    int idLen = Short.toUnsignedInt(b.getShort());
    need(b, idLen, "transaction id");
    byte[] id = new byte[idLen];
    b.get(id);
    String txId = Wire.checkRequestId(new String(id, StandardCharsets.US_ASCII));
    Op o = Op.values()[op];
    switch (o) {
      case BEGIN -> {
        need(b, 8, "lifetime");
        long lifetime = b.getLong();
        if (lifetime <= 0) {
          throw HadbException.invalidArgument("a transaction's lifetime must be positive, was " + lifetime + " ms");
        }
        return new TxRequest(o, txId, lifetime, null);
      }
      case EXEC, QUERY -> {
        need(b, 4, "statement length");
        int len = b.getInt();
        if (len < 0) {
          throw HadbException.invalidArgument("negative statement length " + len);
        }
        need(b, len, "statement");
        byte[] s = new byte[len];
        b.get(s);
        ForwardRequest fr = Wire.decodeRequest(s);
        if (fr.statements().size() != 1) {
          throw HadbException.invalidArgument("a transaction request holds one statement, this one "
              + fr.statements().size());
        }
        return new TxRequest(o, txId, 0, fr.statements().get(0));
      }
      default -> {
        return new TxRequest(o, txId, 0, null);
      }
    }
  }

  private static void need(ByteBuffer b, int n, String what) {
    if (b.remaining() < n) {
      throw HadbException.invalidArgument("transaction request cut short in its " + what + " (" + b.remaining()
          + " of " + n + " bytes)");
    }
  }
}
