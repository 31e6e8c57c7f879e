package io.hadb.demo;

import io.hadb.api.engine.SqlStatement;
import java.util.List;

/**
 * The demo's workload: bank transfers between a few accounts. Each transfer is one batch that
 * moves money and records itself under its request id, so an acknowledged transfer can be looked
 * up on every replica and the total balance is conserved whatever fails.
 */
final class Bank {
  static final int ACCOUNTS = 10;
  static final long OPENING_BALANCE = 1_000;
  static final long TOTAL = ACCOUNTS * OPENING_BALANCE;

  /** Runs once per database (the facade records its hash), whichever node leads first. */
  static final String SCHEMA = """
      CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
      CREATE TABLE transfers(req TEXT PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL,
                             amount INTEGER NOT NULL);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
        INSERT INTO accounts(id, balance) SELECT i, %d FROM n;
      """.formatted(ACCOUNTS, OPENING_BALANCE);

  private Bank() {}

  static List<SqlStatement> transfer(String req, long src, long dst, long amount) {
    return List.of(
        SqlStatement.of("INSERT INTO transfers(req, src, dst, amount) VALUES (?, ?, ?, ?)", req, src, dst, amount),
        SqlStatement.of("UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, src),
        SqlStatement.of("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, dst));
  }
}
