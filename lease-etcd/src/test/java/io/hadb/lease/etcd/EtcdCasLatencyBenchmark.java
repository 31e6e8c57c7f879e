package io.hadb.lease.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.testservers.CasLatencyBenchmark;
import io.hadb.testservers.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one compare-and-set on a private loopback etcd, next to the same transaction on
 * {@code mod_revision} made with plain jetcd (absolute numbers depend mostly on the machine's
 * fsync). Run with {@code benchmarks/lease-latency.sh}.
 */
public final class EtcdCasLatencyBenchmark {
  public static void main(String[] args) throws Exception {
    try (EtcdServer server = EtcdServer.start();
        LeaseStore store = LeaseStores.open(server.leaseUri("bench/"));
        Client raw = Client.builder().endpoints(server.endpoint()).build()) {
      KV kv = raw.getKVClient();
      ByteSequence key = ByteSequence.from("bench-raw", StandardCharsets.UTF_8);
      ByteSequence value = ByteSequence.from(CasLatencyBenchmark.VALUE);
      long[] rev = {kv.put(key, value).get(5, TimeUnit.SECONDS).getHeader().getRevision()};
      CasLatencyBenchmark.run("etcd", "lease-etcd", store, "jetcd txn on mod_revision", () -> {
        TxnResponse t = kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(rev[0])))
            .Then(Op.put(key, value, PutOption.DEFAULT)).commit().get(5, TimeUnit.SECONDS);
        if (!t.isSucceeded()) {
          throw new IllegalStateException("raw CAS lost");
        }
        rev[0] = t.getHeader().getRevision();
      }, CasLatencyBenchmark.ops(args), System.out);
    }
  }
}
