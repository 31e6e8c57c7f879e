package io.hadb.conformance.lin;

import java.util.Optional;

/** A {@link io.hadb.api.StorageBackend} call on one key with its result, for {@link ObjectSpec}. */
public sealed interface ObjectOp {

  record Get(Optional<String> result) implements ObjectOp {
    @Override
    public String toString() {
      return "get→" + result.map(v -> "'" + v + "'").orElse("absent");
    }
  }

  record Put(String value) implements ObjectOp {
    @Override
    public String toString() {
      return "put('" + value + "')";
    }
  }

  record PutIfAbsent(String value, boolean created) implements ObjectOp {
    @Override
    public String toString() {
      return "putIfAbsent('" + value + "')→" + created;
    }
  }

  record Delete() implements ObjectOp {
    @Override
    public String toString() {
      return "delete";
    }
  }
}
