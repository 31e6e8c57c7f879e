package io.hadb.conformance.internal;

/**
 * Raised by the kit itself inside a racer when it sees the store misbehave (a version won twice,
 * a counter gone), so a report says what the store did instead of "the store threw".
 */
public final class KitFinding extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KitFinding(String whatTheStoreDid) {
    super(whatTheStoreDid, null, false, false);
  }
}
