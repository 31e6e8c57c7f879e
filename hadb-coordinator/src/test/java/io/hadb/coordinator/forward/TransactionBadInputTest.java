package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.internal.TxWire;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the transaction wire ({@code POST /hadb/v1/tx}, DESIGN §12), sent over real HTTP
 * to a leader's forwarding server: each is refused with an error that says what was wrong, and
 * none leaves the write lock taken (a write on the leader goes through afterwards).
 */
class TransactionBadInputTest {
  private static final String DB = "txbad";

  @TempDir Path dir;
  ForwardNode leader;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    leader = ForwardNode.sqlite(DB, "n1", dir.resolve("n1.db")).claim();
    leader.executor.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", List.of());
  }

  @AfterEach
  void stop() {
    leader.close();
  }

  private HttpResponse<byte[]> post(String database, byte[] body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(leader.server.address() + TransactionService.PATH))
        .timeout(Duration.ofSeconds(20))
        .header(ForwardingServer.DATABASE_HEADER, database)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      b.header(ForwardingSecret.HEADER, signature);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> signed(byte[] body) throws Exception {
    return post(DB, body, ForwardNode.SECRET.sign(DB, body));
  }

  private static WireError refused(HttpResponse<byte[]> resp, int status, ErrorCode code, String says) {
    assertEquals(status, resp.statusCode(), new String(resp.body()));
    WireError e = Wire.decodeError(resp.statusCode(), resp.body());
    assertEquals(code, e.code(), e.message());
    assertTrue(e.message().contains(says), "'" + e.message() + "' should say '" + says + "'");
    return e;
  }

  private static byte[] frame(TxWire.Op op, String id, long lifetime, SqlStatement st) {
    return TxWire.encode(new TxWire.TxRequest(op, id, lifetime, st));
  }

  @Test
  void garbageFramesAreRefusedSayingWhatIsWrong() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] begin = frame(TxWire.Op.BEGIN, id, 5_000, null);
    refused(signed(new byte[0]), 400, ErrorCode.INVALID_ARGUMENT, "cut short in its header");
    refused(signed("GET / HTTP/1.1".getBytes()), 400, ErrorCode.INVALID_ARGUMENT, "bad magic");
    byte[] version = begin.clone();
    version[2] = 9;
    refused(signed(version), 400, ErrorCode.INVALID_ARGUMENT, "version 9");
    byte[] op = begin.clone();
    op[3] = 17;
    refused(signed(op), 400, ErrorCode.INVALID_ARGUMENT, "unknown transaction op 17");
    refused(signed(Arrays.copyOf(begin, begin.length - 3)), 400, ErrorCode.INVALID_ARGUMENT, "cut short in its lifetime");
    byte[] negative = begin.clone();
    ByteBuffer.wrap(negative).putLong(negative.length - 8, -1);
    refused(signed(negative), 400, ErrorCode.INVALID_ARGUMENT, "lifetime must be positive");
    byte[] exec = frame(TxWire.Op.EXEC, id, 0, new SqlStatement("INSERT INTO t(v) VALUES (?)", List.of(SqlValue.of("x"))));
    byte[] longer = exec.clone();
    ByteBuffer.wrap(longer).putInt(4 + 2 + id.length(), 1 << 20);
    refused(signed(longer), 400, ErrorCode.INVALID_ARGUMENT, "cut short in its statement");
    byte[] badId = begin.clone();
    badId[6] = '\n';
    refused(signed(badId), 400, ErrorCode.INVALID_ARGUMENT, "request id");
    writeGoesThrough();
  }

  @Test
  void aWrongOrMissingSignatureIsUnauthorizedAndTheClientSaysWhy() throws Exception {
    byte[] begin = frame(TxWire.Op.BEGIN, UUID.randomUUID().toString(), 5_000, null);
    assertEquals(401, post(DB, begin, null).statusCode());
    assertEquals(401, post(DB, begin, "00".repeat(32)).statusCode());
    assertEquals(401, post("other", begin, ForwardNode.SECRET.sign(DB, begin)).statusCode(), "signed for another db");
    byte[] other = frame(TxWire.Op.BEGIN, UUID.randomUUID().toString(), 5_000, null);
    assertEquals(401, post(DB, begin, ForwardNode.SECRET.sign(DB, other)).statusCode(), "signed another body");
    LeaderLocator here = () -> Optional.of(new LeaderAddress(leader.server.address(), 1));
    HadbException e = assertThrows(HadbException.class, () -> RemoteTransaction.begin(DB, here,
        ForwardingSecret.of("not-the-shared-secret-0123"), http, ForwardingOptions.defaults(), Duration.ofSeconds(5),
        seq -> { }));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("every node of a database must share the same secret"), e.getMessage());
    writeGoesThrough();
  }

  @Test
  void aTransactionIdNotOpenHereIsRefusedAsNothingApplied() throws Exception {
    String unknown = UUID.randomUUID().toString();
    SqlStatement ins = new SqlStatement("INSERT INTO t(v) VALUES ('x')", List.of());
    for (byte[] body : List.of(frame(TxWire.Op.EXEC, unknown, 0, ins), frame(TxWire.Op.QUERY, unknown, 0,
        new SqlStatement("SELECT 1", List.of())), frame(TxWire.Op.COMMIT, unknown, 0, null))) {
      refused(signed(body), 503, ErrorCode.TIMEOUT, "is not open on this node");
    }
    assertEquals(200, signed(frame(TxWire.Op.ROLLBACK, unknown, 0, null)).statusCode(), "a rollback of nothing");
    refused(post("unhosted", frame(TxWire.Op.BEGIN, unknown, 5_000, null),
        ForwardNode.SECRET.sign("unhosted", frame(TxWire.Op.BEGIN, unknown, 5_000, null))), 421, ErrorCode.NOT_LEADER,
        "does not host database unhosted");
    writeGoesThrough();
  }

  @Test
  void aSecondBeginUnderAnOpenIdIsRefusedAndKeepsNoLock() throws Exception {
    String id = UUID.randomUUID().toString();
    assertEquals(200, signed(frame(TxWire.Op.BEGIN, id, 20_000, null)).statusCode());
    refused(signed(frame(TxWire.Op.BEGIN, id, 20_000, null)), 400, ErrorCode.INVALID_ARGUMENT, "is open already");
    assertEquals(200, signed(frame(TxWire.Op.EXEC, id, 0, new SqlStatement("INSERT INTO t(v) VALUES ('first')",
        List.of()))).statusCode(), "the transaction open first goes on");
    assertEquals(200, signed(frame(TxWire.Op.COMMIT, id, 0, null)).statusCode());
    writeGoesThrough();
    assertEquals(2, leader.count("t"));
  }

  /** The write lock is free: a local write completes (bounded, so a leak fails rather than hangs). */
  private void writeGoesThrough() throws Exception {
    var done = java.util.concurrent.CompletableFuture.runAsync(() -> leader.executor.execute(
        "INSERT INTO t(v) VALUES ('after')", List.of()));
    done.get(20, java.util.concurrent.TimeUnit.SECONDS);
  }
}
