package io.hadb.cli.http;

import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import java.util.Optional;

/** One database {@code hadb serve} hosts: its name in URLs ({@code ?db=}) and its node. */
public record ServedDatabase(String name, HaDatabase db, FailoverLog failovers) {
  public ServedDatabase(String name, HaDatabase db) {
    this(name, db, new FailoverLog());
  }

  /**
   * Who leads, as this node knows it: itself while it leads (the lease record's address is what
   * the followers read; a leader does not look itself up), else the address the lease names.
   */
  public Optional<String> leader() {
    return db.role() == Role.LEADER ? Optional.of(db.address()) : db.leaderAddress();
  }
}
