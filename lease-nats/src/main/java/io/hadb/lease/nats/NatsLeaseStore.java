package io.hadb.lease.nats;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import io.hadb.lease.nats.internal.NatsKeyCodec;
import io.hadb.lease.nats.internal.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link LeaseStore} on a NATS JetStream key-value bucket.
 *
 * <p><b>Versions</b> are KV revisions, i.e. stream sequence numbers: unique and increasing across
 * the whole bucket, so a key deleted and created again gets a larger version (L-monotonic).
 *
 * <p><b>Writes</b> are publishes to {@code $KV.<bucket>.<key>} with the header
 * {@code Nats-Expected-Last-Subject-Sequence} (the server refuses them with API error 10071 when
 * the key's last message has another sequence; that refusal is {@link CasResult#lost()}).
 * Deletes are delete markers ({@code KV-Operation: DEL}) under the same condition. Every write
 * also carries a fresh {@code Nats-Msg-Id}, which makes it safe to send again and to recognise:
 *
 * <p><b>Ambiguous writes</b> (DESIGN §3.1 L-ambiguous): when no answer arrives, the store sends
 * the identical message again (same id, same condition) until {@code resolveTimeout}. The server
 * checks duplicate ids before the condition (measured on nats-server 2.9.10), so an ack, duplicate
 * or not, proves the write landed exactly once; a 10071 answer is checked against the key's
 * current message id. Anything still unclear is {@link ErrorCode#UNKNOWN_OUTCOME}. The condition
 * stays exact on every resend, so a resend can never apply a write twice, even after a server
 * restart that forgot the ids.
 *
 * <p><b>Reads</b> use {@code STREAM.MSG.GET} (last message by subject), which the stream leader
 * answers, not the direct-get API that replicas and mirrors may answer with stale data.
 */
public final class NatsLeaseStore implements LeaseStore {
  private static final System.Logger LOG = System.getLogger(NatsLeaseStore.class.getName());

  /** JetStream API error: the expected last subject sequence did not match. */
  static final int JS_WRONG_LAST_SEQUENCE = 10071;
  /** JetStream API error: no message found (STREAM.MSG.GET). */
  static final int JS_NO_MESSAGE_FOUND = 10037;
  /** JetStream API error: stream not found. */
  static final int JS_STREAM_NOT_FOUND = 10059;

  private static final String EXPECTED_LAST_SUBJECT_SEQ = "Nats-Expected-Last-Subject-Sequence";
  private static final String MSG_ID = "Nats-Msg-Id";
  private static final String KV_OPERATION = "KV-Operation";
  /** Cap of the known-PUT cache; it is only an optimisation, so clearing it is harmless. */
  private static final int KNOWN_PUTS_LIMIT = 10_000;

  private final NatsLeaseConfig config;
  private final Connection connection;
  private final String subjectPrefix;
  private final String msgGetSubject;
  private final Set<Subscription> watches = ConcurrentHashMap.newKeySet();
  /**
   * Encoded key → a sequence this client saw as a PUT (a value, not a delete marker) of that key.
   * A stream sequence names one immutable message forever, so "sequence s of key k is a PUT" never
   * stops being true; a compare-and-set from such a version can skip the read that otherwise
   * makes sure the expected version is not a delete marker's (see {@link #compareAndSet}).
   */
  private final ConcurrentHashMap<String, Long> knownPuts = new ConcurrentHashMap<>();
  private volatile KeyValue kv;
  private volatile boolean closed;

  private NatsLeaseStore(NatsLeaseConfig config, Connection connection) {
    this.config = config;
    this.connection = connection;
    this.subjectPrefix = "$KV." + config.bucket() + ".";
    this.msgGetSubject = "$JS.API.STREAM.MSG.GET.KV_" + config.bucket();
  }

  /** Connects and makes sure the bucket exists; an unreachable server is UNAVAILABLE. */
  public static NatsLeaseStore open(NatsLeaseConfig config) {
    Connection connection = connect(config);
    try {
      ensureBucket(connection, config);
      return new NatsLeaseStore(config, connection);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static Connection connect(NatsLeaseConfig config) {
    Options.Builder b = new Options.Builder()
        .servers(config.serverUrls())
        .connectionName("hadb-lease-nats")
        .connectionTimeout(config.connectTimeout())
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        // No reconnect buffer: a write made while disconnected fails at once instead of being
        // sent long after its call returned (and after the caller stopped waiting for it).
        .reconnectBufferSize(0)
        .connectionListener(new LoggingListener(config))
        // jnats' default listener logs every failed reconnect attempt as SEVERE; callers learn
        // about outages from the exceptions of their calls, so these go to DEBUG.
        .errorListener(new LoggingListener(config));
    config.user().ifPresent(u -> b.userInfo(u, config.password().orElse("")));
    config.token().ifPresent(t -> b.token(t.toCharArray()));
    config.creds().ifPresent(p -> b.authHandler(Nats.credentials(p.toString())));
    if (config.tls()) {
      b.sslContext(TlsContexts.build(config.tlsCa(), config.tlsKeystore(),
          config.tlsKeystorePassword().orElse("").toCharArray()));
    }
    try {
      return Nats.connect(b.build());
    } catch (IOException e) {
      throw HadbException.unavailable(
          "cannot connect to NATS at " + config.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while connecting to " + config.uri(), e);
    }
  }

  private static void ensureBucket(Connection connection, NatsLeaseConfig config) {
    try {
      KeyValueManagement kvm = connection.keyValueManagement(openingOptions(config));
      try {
        kvm.getBucketInfo(config.bucket());
        return;
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != JS_STREAM_NOT_FOUND) {
          throw e;
        }
      }
      // History 1: only the last message per key matters; file storage: leases survive a
      // server restart. Two clients creating the same bucket at once both succeed (same config).
      kvm.create(KeyValueConfiguration.builder()
          .name(config.bucket())
          .description("hadb leases")
          .maxHistoryPerKey(1)
          .storageType(StorageType.File)
          .replicas(config.replicas())
          .build());
      LOG.log(System.Logger.Level.INFO, "created KV bucket {0} with {1} replica(s)",
          config.bucket(), config.replicas());
    } catch (JetStreamApiException e) {
      throw HadbException.unavailable("cannot open or create KV bucket '" + config.bucket()
          + "' at " + config.uri() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot open or create KV bucket '" + config.bucket()
          + "' at " + config.uri() + " (is JetStream enabled, -js?): " + e.getMessage(), e);
    }
  }

  /**
   * Opening the bucket is part of opening the store, so it is bounded like the connection
   * ({@code connectTimeout}), not like one lease call: a client tuned to give up on a lease read
   * after 300 ms failed to open at all on a busy server, where looking up or creating a bucket
   * (a stream, written to disk) takes longer than one key read.
   */
  private static KeyValueOptions openingOptions(NatsLeaseConfig config) {
    Duration bound = config.requestTimeout().compareTo(config.connectTimeout()) >= 0
        ? config.requestTimeout() : config.connectTimeout();
    return kvOptions(bound);
  }

  private static KeyValueOptions callOptions(NatsLeaseConfig config) {
    return kvOptions(config.requestTimeout());
  }

  private static KeyValueOptions kvOptions(Duration requestTimeout) {
    return KeyValueOptions.builder()
        .jetStreamOptions(JetStreamOptions.builder().requestTimeout(requestTimeout).build())
        .build();
  }

  public NatsLeaseConfig config() {
    return config;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<Versioned> read(String key) {
    String subject = subject(key);
    MessageInfo last = lastMessage(subject, key, deadline(config.requestTimeout()));
    if (last == null || !isPut(last)) {
      return Optional.empty();
    }
    knownPut(subject, last.getSeq());
    byte[] data = last.getData();
    return Optional.of(new Versioned(data == null ? new byte[0] : data, last.getSeq()));
  }

  /** The last message of {@code subject}, or null when it has none. */
  private MessageInfo lastMessage(String subject, String key, long deadline) {
    byte[] body = ("{\"last_by_subj\":\"" + subject + "\"}").getBytes(StandardCharsets.US_ASCII);
    Message reply;
    try {
      reply = request(NatsMessage.builder().subject(msgGetSubject).data(body).build(), deadline);
    } catch (RequestFailed e) {
      throw e.failure("read of key '" + key + "'", config);
    }
    MessageInfo info = new MessageInfo(reply);
    if (info.hasError()) {
      if (info.getApiErrorCode() == JS_NO_MESSAGE_FOUND) {
        return null;
      }
      throw HadbException.unavailable("read of key '" + key + "' failed at " + config.uri() + ": "
          + info.getError(), null);
    }
    return info;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public CasResult create(String key, byte[] value) {
    LeaseStore.checkValue(value);
    String subject = subject(key);
    long deadline = deadline(config.requestTimeout());
    // Most creates are of keys that never existed: condition "no message at all" (0). A key that
    // was deleted ends in a delete marker; then the create is conditional on that marker.
    Write first = new Write(subject, key, value, 0, false);
    Outcome o = first.send(deadline);
    if (o.ack != null) {
      return won(subject, o.ack.getSeqno());
    }
    if (!o.wrongSequence) {
      return won(subject, first.resolve());
    }
    MessageInfo last = lastMessage(subject, key, deadline);
    if (last == null || isPut(last)) {
      // A value is there (or a purge removed everything just now; treating that as a lost race
      // is linearizable: the key existed at some instant during this call).
      return CasResult.lost();
    }
    Write overMarker = new Write(subject, key, value, last.getSeq(), false);
    Outcome o2 = overMarker.send(deadline);
    if (o2.ack != null) {
      return won(subject, o2.ack.getSeqno());
    }
    return o2.wrongSequence ? CasResult.lost() : won(subject, overMarker.resolve());
  }

  @Override
  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    LeaseStore.checkVersion(expectedVersion);
    LeaseStore.checkValue(value);
    String subject = subject(key);
    long deadline = deadline(config.requestTimeout());
    if (!ensurePutAt(subject, key, expectedVersion, deadline)) {
      return CasResult.lost();
    }
    Write w = new Write(subject, key, value, expectedVersion, false);
    Outcome o = w.send(deadline);
    if (o.ack != null) {
      return won(subject, o.ack.getSeqno());
    }
    return o.wrongSequence ? CasResult.lost() : won(subject, w.resolve());
  }

  @Override
  public CasResult delete(String key, long expectedVersion) {
    LeaseStore.checkVersion(expectedVersion);
    String subject = subject(key);
    long deadline = deadline(config.requestTimeout());
    if (!ensurePutAt(subject, key, expectedVersion, deadline)) {
      return CasResult.lost();
    }
    Write w = new Write(subject, key, new byte[0], expectedVersion, true);
    Outcome o = w.send(deadline);
    if (o.wrongSequence) {
      return CasResult.lost();
    }
    if (o.ack == null) {
      w.resolve();
    }
    // Won reports the version deleted, not the marker's sequence (which is no value's version).
    return CasResult.won(expectedVersion);
  }

  /**
   * NATS can only condition a write on the key's last sequence, not on that message being a
   * value: a compare-and-set from the sequence of a delete marker would otherwise succeed on an
   * absent key. So unless this client already knows {@code version} is a PUT of this key, read
   * first. A false answer is a lost race linearized at the read; a true answer stays safe because
   * the write is still conditional on the same sequence.
   */
  private boolean ensurePutAt(String subject, String key, long version, long deadline) {
    Long known = knownPuts.get(subject);
    if (known != null && known == version) {
      return true;
    }
    MessageInfo last = lastMessage(subject, key, deadline);
    if (last == null || last.getSeq() != version || !isPut(last)) {
      return false;
    }
    knownPut(subject, version);
    return true;
  }

  private CasResult won(String subject, long seq) {
    knownPut(subject, seq);
    return CasResult.won(seq);
  }

  private void knownPut(String subject, long seq) {
    if (knownPuts.size() >= KNOWN_PUTS_LIMIT) {
      knownPuts.clear();
    }
    knownPuts.merge(subject, seq, Math::max);
  }

  /** What one publish attempt learned. */
  private record Outcome(PublishAck ack, boolean wrongSequence) {}

  /** One conditional publish, with a fixed message id so it can be resent and recognised. */
  private final class Write {
    private final String subject;
    private final String key;
    private final NatsMessage message;
    private final String msgId;
    private final String what;

    Write(String subject, String key, byte[] value, long expectedSeq, boolean delete) {
      this.subject = subject;
      this.key = key;
      this.msgId = UUID.randomUUID().toString();
      Headers h = new Headers()
          .put(EXPECTED_LAST_SUBJECT_SEQ, Long.toString(expectedSeq))
          .put(MSG_ID, msgId);
      if (delete) {
        h.put(KV_OPERATION, "DEL");
      }
      this.message = NatsMessage.builder().subject(subject).headers(h).data(value).build();
      this.what = (delete ? "delete" : expectedSeq == 0 ? "create" : "compareAndSet")
          + " of key '" + key + "' (expected version " + expectedSeq + ")";
    }

    /** Ack, or 10071; throws UNAVAILABLE when it was surely not sent; else ambiguous = neither. */
    Outcome send(long deadline) {
      try {
        return parse(request(message, deadline));
      } catch (Ambiguous e) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: no answer ({1}), resolving", what, e.getMessage());
        return new Outcome(null, false);
      } catch (RequestFailed e) {
        throw e.failure(what, config);
      }
    }

    private Outcome parse(Message reply) {
      try {
        return new Outcome(new PublishAck(reply), false);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() == JS_WRONG_LAST_SEQUENCE) {
          return new Outcome(null, true);
        }
        throw HadbException.unavailable(what + " refused by " + config.uri() + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw HadbException.unavailable(what + ": bad answer from " + config.uri() + ": " + e.getMessage(), e);
      }
    }

    /**
     * Learns the outcome of a write that may or may not have landed, by resending the identical
     * message until an answer comes or {@code resolveTimeout} passes.
     *
     * @return the sequence the write landed at; otherwise throws UNKNOWN_OUTCOME
     */
    long resolve() {
      long deadline = deadline(config.resolveTimeout());
      Throwable last = null;
      long pause = 20;
      while (System.nanoTime() < deadline && !closed && !Thread.currentThread().isInterrupted()) {
        try {
          Outcome o = parse(request(message, deadline));
          if (o.ack != null) {
            // Fresh or duplicate, the message with our id is stored exactly once.
            return o.ack.getSeqno();
          }
          MessageInfo current = lastMessage(subject, key, deadline);
          if (current != null && current.getHeaders() != null
              && msgId.equals(current.getHeaders().getFirst(MSG_ID))) {
            return current.getSeq();
          }
          // Lost, or landed and then overwritten by someone else with the server having
          // forgotten our id (a restart): the two cannot be told apart.
          throw HadbException.unknownOutcome(what + ": the key moved on and the server no longer"
              + " knows whether this write landed; read the key before retrying", null);
        } catch (RequestFailed e) {
          last = e;
        } catch (HadbException e) {
          if (e.code() == ErrorCode.UNKNOWN_OUTCOME) {
            throw e;
          }
          last = e;
        }
        sleepUntil(Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause)));
        pause = Math.min(pause * 2, 200);
      }
      throw HadbException.unknownOutcome(what + " at " + config.uri()
          + ": sent, but no answer within requestTimeout + resolveTimeout; it may still take effect"
          + " (only while the key is still at the expected version)", last);
    }
  }

  // ------------------------------------------------------------------ watch

  @Override
  public Optional<Subscription> watch(String key, Runnable onChange) {
    HadbException.requireArg(onChange, "onChange");
    String encoded = NatsKeyCodec.encode(key);
    checkOpen();
    try {
      NatsKeyValueWatchSubscription sub = kv().watch(encoded, new KeyValueWatcher() {
        @Override
        public void watch(KeyValueEntry entry) {
          try {
            onChange.run();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "watch callback for key " + key + " failed", e);
          }
        }

        @Override
        public void endOfData() {}
      }, KeyValueWatchOption.UPDATES_ONLY, KeyValueWatchOption.META_ONLY);
      Subscription s = new Subscription() {
        @Override
        public void close() {
          if (watches.remove(this)) {
            try {
              sub.unsubscribe();
            } catch (RuntimeException e) {
              LOG.log(System.Logger.Level.DEBUG, "unsubscribing a watch failed", e);
            }
          }
        }
      };
      watches.add(s);
      return Optional.of(s);
    } catch (IOException | JetStreamApiException e) {
      throw HadbException.unavailable("cannot watch key '" + key + "' at " + config.uri() + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while starting a watch of key '" + key + "'", e);
    }
  }

  private KeyValue kv() throws IOException {
    KeyValue k = kv;
    if (k == null) {
      k = connection.keyValue(config.bucket(), callOptions(config));
      kv = k;
    }
    return k;
  }

  // ------------------------------------------------------------------ plumbing

  private abstract static class RequestFailed extends Exception {
    private static final long serialVersionUID = 1L;

    RequestFailed(String message, Throwable cause) {
      super(message, cause);
    }

    abstract HadbException failure(String what, NatsLeaseConfig config);
  }

  /** The request failed before anything left this client: nothing can have been applied. */
  private static final class NotSent extends RequestFailed {
    private static final long serialVersionUID = 1L;

    NotSent(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    HadbException failure(String what, NatsLeaseConfig config) {
      return HadbException.unavailable(what + ": NATS at " + config.uri() + " is not reachable ("
          + getMessage() + ")", this);
    }
  }

  /** The request may have reached the server, but no answer came. */
  private static final class Ambiguous extends RequestFailed {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    Ambiguous(String message, Throwable cause, boolean timedOut) {
      super(message, cause);
      this.timedOut = timedOut;
    }

    @Override
    HadbException failure(String what, NatsLeaseConfig config) {
      return timedOut
          ? HadbException.timeout(what + ": no answer from NATS at " + config.uri()
              + " within requestTimeout " + config.requestTimeout(), this)
          : HadbException.unavailable(what + ": NATS at " + config.uri() + " did not answer ("
              + getMessage() + ")", this);
    }
  }

  private Message request(NatsMessage message, long deadline) throws RequestFailed {
    checkOpen();
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new Ambiguous("out of time before sending", null, true);
    }
    CompletableFuture<Message> future;
    try {
      future = connection.requestWithTimeout(message, Duration.ofNanos(remaining));
    } catch (IllegalStateException e) {
      // Disconnected with no reconnect buffer, or closed: the message was not queued.
      throw new NotSent(e.getMessage(), e);
    }
    try {
      Message reply = future.get(remaining, TimeUnit.NANOSECONDS);
      if (reply == null) {
        throw new Ambiguous("empty reply", null, false);
      }
      return reply;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Ambiguous("timed out", e, true);
    } catch (CancellationException e) {
      // jnats cancels a request on "no responders" (nothing consumed it) and on some connection
      // failures; only the first is a sure "not applied", so both count as ambiguous for writes.
      throw new Ambiguous("request cancelled (no responders or connection lost)", e, false);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof CancellationException) {
        throw new Ambiguous("request cancelled (no responders or connection lost)", cause, false);
      }
      if (cause instanceof TimeoutException) {
        throw new Ambiguous("timed out", cause, true);
      }
      throw new Ambiguous(String.valueOf(cause.getMessage()), cause, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new Ambiguous("interrupted", e, false);
    }
  }

  private String subject(String key) {
    String encoded = NatsKeyCodec.encode(key);
    checkOpen();
    return subjectPrefix + encoded;
  }

  private static boolean isPut(MessageInfo m) {
    Headers h = m.getHeaders();
    String op = h == null ? null : h.getFirst(KV_OPERATION);
    return op == null || op.equals("PUT");
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
      throw HadbException.closed("NATS lease store " + config.uri());
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
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the NATS connection failed", e);
    }
  }

  @Override
  public String toString() {
    return "NatsLeaseStore[" + config.uri() + "]";
  }

  private static final class LoggingListener implements ConnectionListener, ErrorListener {
    private final NatsLeaseConfig config;

    LoggingListener(NatsLeaseConfig config) {
      this.config = config;
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
      LOG.log(System.Logger.Level.DEBUG, "NATS {0}: {1}", config.uri(), type);
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
      LOG.log(System.Logger.Level.WARNING, "NATS {0} reported: {1}", config.uri(), error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      LOG.log(System.Logger.Level.DEBUG, "NATS {0}: {1}", config.uri(), String.valueOf(exp));
    }
  }
}
