package io.hadb.conformance.lin;

import java.util.Optional;

/** The sequential specification of one object key: its content, or absent. */
public final class ObjectSpec implements SequentialSpec<Optional<String>, ObjectOp> {

  @Override
  public Optional<String> initial() {
    return Optional.empty();
  }

  /** A get and a losing putIfAbsent never change the object; a delete may, so it is not read-only. */
  @Override
  public boolean isReadOnly(ObjectOp op) {
    return op instanceof ObjectOp.Get || (op instanceof ObjectOp.PutIfAbsent p && !p.created());
  }

  @Override
  public Optional<String> apply(Optional<String> s, ObjectOp op) {
    if (op instanceof ObjectOp.Get g) {
      return g.result().equals(s) ? s : null;
    }
    if (op instanceof ObjectOp.Put p) {
      return Optional.of(p.value());
    }
    if (op instanceof ObjectOp.PutIfAbsent p) {
      if (p.created()) {
        return s.isEmpty() ? Optional.of(p.value()) : null;
      }
      return s.isPresent() ? s : null;
    }
    return Optional.empty();
  }
}
