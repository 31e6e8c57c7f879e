package io.hadb.conformance.lin;

import io.hadb.api.CasResult;
import io.hadb.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A {@link io.hadb.api.LeaseStore} call on one key with the result it returned, for
 * {@link LeaseRegisterSpec}. Values are kept as ISO-8859-1 strings: a one-to-one map of bytes
 * that gives value equality for free.
 */
public sealed interface LeaseOp {

  static String text(byte[] value) {
    return new String(value, StandardCharsets.ISO_8859_1);
  }

  /** read() returned {@code result}: empty, or (value, version). */
  record Read(Optional<String> value, long version) implements LeaseOp {
    public static Read of(Optional<Versioned> r) {
      return r.map(v -> new Read(Optional.of(text(v.value())), v.version()))
          .orElseGet(() -> new Read(Optional.empty(), 0));
    }

    @Override
    public String toString() {
      return value.map(v -> "read→(v" + version + ", '" + v + "')").orElse("read→absent");
    }
  }

  /** create(value) returned won with {@code version}, or lost ({@code version} 0). */
  record Create(String value, boolean won, long version) implements LeaseOp {
    public static Create of(byte[] value, CasResult r) {
      return new Create(text(value), r.isWon(), r.isWon() ? r.version() : 0);
    }

    @Override
    public String toString() {
      return "create('" + value + "')→" + (won ? "won v" + version : "lost");
    }
  }

  /** compareAndSet(expected, value) returned won with {@code version}, or lost. */
  record Cas(long expected, String value, boolean won, long version) implements LeaseOp {
    public static Cas of(long expected, byte[] value, CasResult r) {
      return new Cas(expected, text(value), r.isWon(), r.isWon() ? r.version() : 0);
    }

    @Override
    public String toString() {
      return "cas(v" + expected + ", '" + value + "')→" + (won ? "won v" + version : "lost");
    }
  }

  /** delete(expected) returned won (with the deleted version) or lost. */
  record Delete(long expected, boolean won, long version) implements LeaseOp {
    public static Delete of(long expected, CasResult r) {
      return new Delete(expected, r.isWon(), r.isWon() ? r.version() : 0);
    }

    @Override
    public String toString() {
      return "delete(v" + expected + ")→" + (won ? "won" : "lost");
    }
  }
}
