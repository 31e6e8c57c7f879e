package io.hadb.conformance.lin;

import java.util.Optional;

/**
 * The sequential specification of one lease register (DESIGN §3.1): create only when absent,
 * compareAndSet and delete only from the current version, and every new version greater than
 * every version the key ever had, deletes included (L-monotonic). Versions are chosen by the
 * store, so a won write is legal with any larger version and the state then follows the result.
 */
public final class LeaseRegisterSpec implements SequentialSpec<LeaseRegisterSpec.State, LeaseOp> {

  /**
   * @param value the current value, empty when absent
   * @param version the current version when present
   * @param highest the highest version the key ever had (0 for a key never written)
   */
  public record State(Optional<String> value, long version, long highest) {
    @Override
    public String toString() {
      return value.map(v -> "(v" + version + ", '" + v + "')").orElse("absent")
          + (highest > version || value.isEmpty() ? " highest v" + highest : "");
    }
  }

  private final State initial;

  /** For a key never written before the history starts. */
  public LeaseRegisterSpec() {
    this(new State(Optional.empty(), 0, 0));
  }

  public LeaseRegisterSpec(State initial) {
    this.initial = initial;
  }

  @Override
  public State initial() {
    return initial;
  }

  /** Reads and lost conditional writes never change a register. */
  @Override
  public boolean isReadOnly(LeaseOp op) {
    return op instanceof LeaseOp.Read
        || (op instanceof LeaseOp.Create c && !c.won())
        || (op instanceof LeaseOp.Cas c2 && !c2.won())
        || (op instanceof LeaseOp.Delete d && !d.won());
  }

  @Override
  public State apply(State s, LeaseOp op) {
    boolean present = s.value().isPresent();
    if (op instanceof LeaseOp.Read r) {
      if (!present) {
        return r.value().isEmpty() ? s : null;
      }
      return r.value().equals(s.value()) && r.version() == s.version() ? s : null;
    }
    if (op instanceof LeaseOp.Create c) {
      if (!c.won()) {
        return present ? s : null;
      }
      return !present && c.version() > s.highest()
          ? new State(Optional.of(c.value()), c.version(), c.version()) : null;
    }
    if (op instanceof LeaseOp.Cas c) {
      boolean matches = present && s.version() == c.expected();
      if (!c.won()) {
        return matches ? null : s;
      }
      return matches && c.version() > s.highest()
          ? new State(Optional.of(c.value()), c.version(), c.version()) : null;
    }
    LeaseOp.Delete d = (LeaseOp.Delete) op;
    boolean matches = present && s.version() == d.expected();
    if (!d.won()) {
      return matches ? null : s;
    }
    return matches && d.version() == d.expected() ? new State(Optional.empty(), 0, s.highest()) : null;
  }
}
