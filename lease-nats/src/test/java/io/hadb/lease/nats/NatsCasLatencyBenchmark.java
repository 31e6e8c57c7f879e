package io.hadb.lease.nats;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.testservers.CasLatencyBenchmark;
import io.hadb.testservers.NatsServer;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;

/**
 * Latency of one compare-and-set on a private loopback nats-server, next to the same write made
 * with jnats' own {@code KeyValue.update}. Run with {@code benchmarks/lease-latency.sh}.
 */
public final class NatsCasLatencyBenchmark {
  public static void main(String[] args) throws Exception {
    try (NatsServer server = NatsServer.start();
        LeaseStore store = LeaseStores.open(server.leaseUri("bench"));
        Connection raw = Nats.connect(server.url())) {
      KeyValue kv = raw.keyValue("bench");
      long[] rawRev = {kv.create("bench_raw", CasLatencyBenchmark.VALUE)};
      CasLatencyBenchmark.run("nats-server", "lease-nats", store, "jnats KeyValue.update",
          () -> rawRev[0] = kv.update("bench_raw", CasLatencyBenchmark.VALUE, rawRev[0]),
          CasLatencyBenchmark.ops(args), System.out);
    }
  }
}
