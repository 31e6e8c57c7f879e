package io.hadb.cli.http;

import io.hadb.coordinator.HaDatabase;

/** One database {@code hadb serve} hosts: its name in URLs ({@code ?db=}) and its node. */
public record ServedDatabase(String name, HaDatabase db, FailoverLog failovers) {
  public ServedDatabase(String name, HaDatabase db) {
    this(name, db, new FailoverLog());
  }
}
