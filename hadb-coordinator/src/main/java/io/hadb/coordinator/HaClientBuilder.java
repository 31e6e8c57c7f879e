package io.hadb.coordinator;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.coordinator.forward.ForwardingClient;
import io.hadb.coordinator.forward.ForwardingOptions;
import io.hadb.coordinator.forward.ForwardingSecret;
import io.hadb.coordinator.forward.LeaderLocator;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.util.Map;

/**
 * Options of an {@link HaClient}. The lease URI comes from {@link #lease}, else {@code
 * HADB_LEASE_URL}; the secret from {@link #secret}, else {@code HADB_FORWARD_SECRET}; the
 * database name is required (the nodes' {@code HaDatabaseBuilder.database}, whose lease record
 * names the leader). Everything is checked in {@link #open} before the lease store is opened.
 */
public final class HaClientBuilder {
  private String leaseUri;
  private String database;
  private String secret;
  private ForwardingOptions forwarding = ForwardingOptions.defaults();
  private Map<String, String> env = System.getenv();

  HaClientBuilder() {}

  /** The lease store the database's nodes use, e.g. {@code nats://10.0.0.2:4222?bucket=hadb-leases}. */
  public HaClientBuilder lease(String uri) {
    this.leaseUri = uri;
    return this;
  }

  /** The database name, as the nodes were opened with: the lease record is {@code <name>/lease}. */
  public HaClientBuilder database(String name) {
    this.database = name;
    return this;
  }

  /** The nodes' forwarding secret (at least 16 bytes); never logged. */
  public HaClientBuilder secret(String secret) {
    this.secret = secret;
    return this;
  }

  /**
   * How a call waits for a leader: retries under one request id until a leader answers or the
   * deadline passes (default {@link ForwardingOptions#defaults()}: 15 s, which covers a failover at
   * the nodes' default ttl of 5 s; with a longer ttl use {@link ForwardingOptions#coveringTakeover}).
   */
  public HaClientBuilder forwarding(ForwardingOptions o) {
    this.forwarding = o;
    return this;
  }

  /** The environment the URI and secret fall back to (default {@link System#getenv()}). */
  public HaClientBuilder environment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  /** Opens the lease store; the leader is looked up on the first call (none is needed to open). */
  public HaClient open() {
    if (database == null) {
      throw HadbException.invalidArgument("no database given: call database(name) with the name the nodes use");
    }
    Keys.validate(database + "/lease");
    HadbException.requireArg(forwarding, "forwarding");
    ForwardingSecret fs = ForwardingSecret.of(HaDatabaseBuilder.resolve(secret, env, HaDatabaseBuilder.SECRET_ENV,
        "secret(...)", ""));
    String leaseAt = HaDatabaseBuilder.resolve(leaseUri, env, LeaseStores.ENV, "lease(uri)", "");
    LeaseStore store = LeaseStores.open(leaseAt);
    CoordinatorMetrics metrics = new CoordinatorMetrics();
    ForwardingClient client = new ForwardingClient(database, LeaderLocator.fromLeaseStore(store, database), fs, forwarding,
        metrics);
    return new HaClient(database, store, client, metrics);
  }
}
