package io.hadb.lease.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import io.hadb.lease.etcd.internal.DeadlineInterceptor;
import io.hadb.lease.etcd.internal.StoredValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A {@link LeaseStore} on etcd v3.
 *
 * <p><b>Versions</b> are {@code mod_revision}s: etcd's store-wide revision at the write, so they
 * grow across delete and re-create (L-monotonic). Every operation is one transaction: create is
 * {@code if create_revision == 0 then put}, compare-and-set {@code if mod_revision == expected
 * then put}, delete {@code if mod_revision == expected then delete}; reads are linearizable
 * ranges.
 *
 * <p><b>Timeouts</b>: every unary call carries a gRPC deadline of {@code requestTimeout}, the
 * store waits no longer on its own clock, and jetcd's internal retries are switched off
 * ({@code retryMaxAttempts=0}, {@code waitForReady=false}) so none of them can run on past the
 * timeout and hide a failure or resend a write behind the store's back.
 *
 * <p><b>Ambiguous writes</b> (DESIGN §3.1 L-ambiguous): each stored value starts with a random
 * write id ({@link StoredValue}). When a write gets no answer, the store sends the identical
 * transaction again (same condition, same id) with an {@code else get} until
 * {@code resolveTimeout}: success proves it landed once (the condition cannot hold twice); a
 * failed condition with the key holding our id proves the first attempt landed. Anything else is
 * {@code UNKNOWN_OUTCOME}.
 */
public final class EtcdLeaseStore implements LeaseStore {
  private static final System.Logger LOG = System.getLogger(EtcdLeaseStore.class.getName());

  private final EtcdLeaseConfig config;
  private final Client client;
  private final KV kv;
  private final Set<Subscription> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdLeaseStore(EtcdLeaseConfig config, Client client) {
    this.config = config;
    this.client = client;
    this.kv = client.getKVClient();
  }

  /** Connects and checks the cluster answers; an unreachable cluster is UNAVAILABLE. */
  public static EtcdLeaseStore open(EtcdLeaseConfig config) {
    Client client = buildClient(config);
    EtcdLeaseStore store = new EtcdLeaseStore(config, client);
    // jetcd connects lazily: a read now turns a wrong address or bad credentials into an error at
    // open instead of at the first lease operation. The first call also pays for connecting and
    // warming up the client, which may take longer than one requestTimeout, hence the loop.
    long deadline = System.nanoTime() + config.connectTimeout().toNanos();
    Failure last = null;
    try {
      while (System.nanoTime() < deadline) {
        try {
          store.await(store.kv.get(store.etcdKey("_probe"), GetOption.builder().withCountOnly(true).build()),
              Math.min(deadline, deadline(config.requestTimeout())), "connection check");
          return store;
        } catch (Failure f) {
          if (f.definitelyNotApplied()) {
            last = f;
            break;
          }
          last = f;
          sleepUntil(Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)));
        }
      }
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    client.close();
    if (last != null && last.definitelyNotApplied()) {
      // The server answered but refused: a wrong user/password or a role without access to the
      // prefix, which no amount of waiting fixes. Say so instead of "cannot reach".
      throw HadbException.unavailable("etcd at " + config.uri() + " refused the connection check: "
          + last.code + " " + last.getMessage() + " (check the user and password, and that the"
          + " user's role may read and write keys under the prefix '" + config.prefix() + "')", last);
    }
    throw HadbException.unavailable("cannot reach etcd at " + config.uri() + " within connectTimeout "
        + config.connectTimeout() + ": " + (last == null ? "no attempt" : last.code + " " + last.getMessage()),
        last);
  }

  private static Client buildClient(EtcdLeaseConfig config) {
    ClientBuilder b = Client.builder()
        .endpoints(config.endpointUrls())
        .connectTimeout(config.connectTimeout())
        .waitForReady(false)
        .retryMaxAttempts(0)
        .interceptor(new DeadlineInterceptor(config.requestTimeout()));
    config.user().ifPresent(u -> b.user(bytes(u)));
    config.password().ifPresent(p -> b.password(bytes(p)));
    if (config.tls()) {
      try {
        b.sslContext(ssl -> {
          config.tlsCa().ifPresent(ca -> ssl.trustManager(ca.toFile()));
          config.tlsCert().ifPresent(cert -> ssl.keyManager(cert.toFile(), config.tlsKey().orElseThrow().toFile()));
        });
      } catch (SSLException | RuntimeException e) {
        throw HadbException.invalidArgument("cannot load the TLS files of " + config.uri() + ": "
            + e.getMessage());
      }
    }
    return b.build();
  }

  public EtcdLeaseConfig config() {
    return config;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<Versioned> read(String key) {
    ByteSequence k = etcdKey(key);
    long deadline = deadline(config.requestTimeout());
    GetResponse r;
    try {
      r = await(kv.get(k), deadline, "read of key '" + key + "'");
    } catch (Failure f) {
      throw f.toException();
    }
    return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(versioned(r.getKvs().get(0), key));
  }

  private static Versioned versioned(KeyValue kv, String key) {
    return new Versioned(StoredValue.value(kv.getValue().getBytes(), key), kv.getModRevision());
  }

  // ------------------------------------------------------------------ writes

  @Override
  public CasResult create(String key, byte[] value) {
    LeaseStore.checkValue(value);
    ByteSequence k = etcdKey(key);
    return new Write(key, k, new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
        value, "create of key '" + key + "'").run();
  }

  @Override
  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    LeaseStore.checkVersion(expectedVersion);
    LeaseStore.checkValue(value);
    ByteSequence k = etcdKey(key);
    return new Write(key, k, new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)),
        value, "compareAndSet of key '" + key + "' (expected version " + expectedVersion + ")").run();
  }

  @Override
  public CasResult delete(String key, long expectedVersion) {
    LeaseStore.checkVersion(expectedVersion);
    ByteSequence k = etcdKey(key);
    CasResult r = new Write(key, k, new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedVersion)),
        null, "delete of key '" + key + "' (expected version " + expectedVersion + ")").run();
    // Won reports the version deleted, not the revision of the deletion.
    return r.isWon() ? CasResult.won(expectedVersion) : r;
  }

  /** One conditional transaction, with a fixed write id so it can be resent and recognised. */
  private final class Write {
    private final String key;
    private final ByteSequence etcdKey;
    private final Cmp condition;
    private final Op then;
    private final boolean isDelete;
    private final byte[] writeId = StoredValue.newWriteId();
    private final String what;

    /** {@code value == null} means delete. */
    Write(String key, ByteSequence etcdKey, Cmp condition, byte[] value, String what) {
      this.key = key;
      this.etcdKey = etcdKey;
      this.condition = condition;
      this.isDelete = value == null;
      this.then = value == null
          ? Op.delete(etcdKey, DeleteOption.DEFAULT)
          : Op.put(etcdKey, ByteSequence.from(StoredValue.encode(writeId, value)), PutOption.DEFAULT);
      this.what = what;
    }

    CasResult run() {
      TxnResponse r;
      try {
        r = await(kv.txn().If(condition).Then(then).commit(), deadline(config.requestTimeout()), what);
      } catch (Failure f) {
        if (f.definitelyNotApplied()) {
          throw f.toException();
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: no answer ({1}), resolving", what, f.getMessage());
        return resolve(f);
      }
      return r.isSucceeded() ? CasResult.won(r.getHeader().getRevision()) : CasResult.lost();
    }

    private CasResult resolve(Failure first) {
      long deadline = deadline(config.resolveTimeout());
      Failure last = first;
      long pause = 20;
      while (System.nanoTime() < deadline && !closed && !Thread.currentThread().isInterrupted()) {
        try {
          TxnResponse r = await(kv.txn().If(condition).Then(then)
              .Else(Op.get(etcdKey, GetOption.DEFAULT)).commit(), deadline, what);
          if (r.isSucceeded()) {
            return CasResult.won(r.getHeader().getRevision());
          }
          List<KeyValue> current = r.getGetResponses().isEmpty()
              ? List.of() : r.getGetResponses().get(0).getKvs();
          if (!isDelete && !current.isEmpty()
              && StoredValue.hasWriteId(current.get(0).getValue().getBytes(), writeId)) {
            return CasResult.won(current.get(0).getModRevision());
          }
          // Lost, or landed and then overwritten (or, for a delete, landed at all): etcd keeps
          // no record that tells these apart cheaply.
          throw HadbException.unknownOutcome(what + ": the key moved on and it is unknown whether"
              + " this write landed first; read the key before retrying", first);
        } catch (Failure f) {
          if (f.definitelyNotApplied()) {
            throw f.toException();
          }
          last = f;
        }
        sleepUntil(Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause)));
        pause = Math.min(pause * 2, 200);
      }
      throw HadbException.unknownOutcome(what + " at " + config.uri()
          + ": sent, but no answer within requestTimeout + resolveTimeout; it may still take effect"
          + " (only while its condition still holds)", last);
    }
  }

  // ------------------------------------------------------------------ watch

  @Override
  public Optional<Subscription> watch(String key, Runnable onChange) {
    HadbException.requireArg(onChange, "onChange");
    ByteSequence k = etcdKey(key);
    // A watch registers with the server after watch() returns, and one "from now" would miss a
    // change made in between: start it after the revision a read sees now.
    long seen;
    try {
      seen = await(kv.get(k), deadline(config.requestTimeout()), "watch of key '" + key + "'").getHeader().getRevision();
    } catch (Failure f) {
      throw f.toException();
    }
    WatchOption from = WatchOption.builder().withRevision(seen + 1).build();
    Watch.Watcher watcher = client.getWatchClient().watch(k, from, new Watch.Listener() {
      @Override
      public void onNext(WatchResponse response) {
        if (response.getEvents().isEmpty()) {
          return;
        }
        try {
          onChange.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "watch callback for key " + key + " failed", e);
        }
      }

      @Override
      public void onError(Throwable t) {
        LOG.log(System.Logger.Level.DEBUG, "watch of key " + key + " failed: " + t);
      }

      @Override
      public void onCompleted() {}
    });
    Subscription s = new Subscription() {
      @Override
      public void close() {
        if (watches.remove(this)) {
          watcher.close();
        }
      }
    };
    watches.add(s);
    return Optional.of(s);
  }

  // ------------------------------------------------------------------ plumbing

  /** A call that did not return a response: the reason and whether a write might have landed. */
  private final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String what;
    private final Status.Code code;
    private final boolean timedOut;

    Failure(String what, Throwable cause, Status.Code code, boolean timedOut) {
      super(cause == null ? String.valueOf(code) : detail(cause), cause);
      this.what = what;
      this.code = code;
      this.timedOut = timedOut;
    }

    /**
     * The messages along the cause chain: jetcd wraps the server's reason (for example
     * "authentication failed, invalid user ID or password") in a bare {@code UNAUTHENTICATED}.
     */
    private static String detail(Throwable cause) {
      StringBuilder b = new StringBuilder();
      for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
        String m = t.getMessage();
        if (m != null && !m.isBlank() && b.indexOf(m) < 0) {
          b.append(b.length() == 0 ? "" : " <- ").append(m);
        }
      }
      return b.length() == 0 ? cause.toString() : b.toString();
    }

    /**
     * The server refused the request before executing it (auth, permissions, a bad request).
     * Everything else, UNAVAILABLE included, may come after the request reached the server.
     */
    boolean definitelyNotApplied() {
      return code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED
          || code == Status.Code.INVALID_ARGUMENT || code == Status.Code.FAILED_PRECONDITION
          || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNIMPLEMENTED;
    }

    HadbException toException() {
      if (timedOut || code == Status.Code.DEADLINE_EXCEEDED) {
        return HadbException.timeout(what + ": no answer from etcd at " + config.uri()
            + " within requestTimeout " + config.requestTimeout(), this);
      }
      return HadbException.unavailable(what + ": etcd at " + config.uri() + " failed: "
          + code + " " + getMessage(), this);
    }
  }

  private <T> T await(CompletableFuture<T> future, long deadline, String what) throws Failure {
    checkOpen();
    long remaining = deadline - System.nanoTime();
    try {
      if (remaining <= 0) {
        throw new TimeoutException("out of time");
      }
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Failure(what, e, Status.Code.DEADLINE_EXCEEDED, true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new Failure(what, cause, statusCode(cause), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new Failure(what, e, Status.Code.CANCELLED, false);
    } catch (RuntimeException e) {
      // jetcd throws synchronously when the client is shut down or misconfigured.
      throw new Failure(what, e, statusCode(e), false);
    }
  }

  private static Status.Code statusCode(Throwable t) {
    if (t instanceof EtcdException ee) {
      try {
        return Status.Code.valueOf(ee.getErrorCode().name());
      } catch (IllegalArgumentException ignored) {
        return Status.Code.UNKNOWN;
      }
    }
    return Status.fromThrowable(t).getCode();
  }

  private ByteSequence etcdKey(String key) {
    Keys.validate(key);
    checkOpen();
    return bytes(config.prefix() + key);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static void sleepUntil(long deadlineNanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("etcd lease store " + config.uri());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Subscription s : Set.copyOf(watches)) {
      s.close();
    }
    client.close();
  }

  @Override
  public String toString() {
    return "EtcdLeaseStore[" + config.uri() + "]";
  }
}
