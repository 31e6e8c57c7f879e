package io.hadb.storeprobe;

import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackends;
import java.util.List;
import java.util.Optional;

/** The two kinds of store the kit has contracts for, and how to open one of each. */
enum StoreKind {
  LEASE("lease store"),
  STORAGE("storage backend");

  private final String description;

  StoreKind(String description) {
    this.description = description;
  }

  static Optional<StoreKind> parse(String arg) {
    for (StoreKind k : values()) {
      if (k.name().equalsIgnoreCase(arg)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  String description() {
    return description;
  }

  /** The URI schemes whose providers are on the class path, as {@code mem:}. */
  List<String> schemes() {
    var byScheme = this == LEASE
        ? LeaseStores.registry().providersByScheme()
        : StorageBackends.registry().providersByScheme();
    return byScheme.keySet().stream().map(s -> s + ":").toList();
  }

  /**
   * Opens the store once and closes it: empty when that worked, else what went wrong (the
   * plug-ins' messages name the offending part of the URI and never show its secrets).
   */
  Optional<String> openProblem(String uri) {
    try (AutoCloseable store = this == LEASE ? LeaseStores.open(uri) : StorageBackends.open(uri)) {
      return Optional.empty();
    } catch (Exception e) {
      String m = e.getMessage();
      return Optional.of(m == null || m.isBlank() ? e.toString() : m);
    }
  }
}
