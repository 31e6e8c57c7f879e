package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Transaction;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A follower's transaction held open on the leader (DESIGN §12): the engine's {@link Transaction}
 * on a thread of its own, because it holds the write lock, which belongs to the thread that took
 * it, while its statements arrive as separate requests on any handler thread. The session ends
 * on commit, on rollback, on a leadership check that fails, and when its lifetime runs out: the
 * thread then rolls back by itself, so a follower that vanished never keeps the write lock
 * longer than the lifetime it asked for. Between steps it also looks, every
 * {@link #LEADERSHIP_CHECK_MILLIS}, whether this node still leads: a leader handing over waits
 * for the write lock before it stops publishing, and an idle transaction would otherwise hold
 * that hand-off up for the rest of its lifetime.
 */
final class TransactionSession {
  private static final System.Logger LOG = System.getLogger(TransactionSession.class.getName());
  static final long LEADERSHIP_CHECK_MILLIS = 100;

  private record Step(Function<Transaction, Object> work, CompletableFuture<Object> answer) {}

  private final String txId;
  private final long deadlineNanos;
  private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();
  private final CompletableFuture<Object> begun = new CompletableFuture<>();
  private volatile boolean over;

  private TransactionSession(String txId, long lifetimeMillis) {
    this.txId = txId;
    this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifetimeMillis);
  }

  /**
   * Starts the session's thread, which begins the engine transaction with {@code begin} and then
   * runs the steps handed to it while {@code leads}; {@code ended} is told once it ended, however.
   */
  static TransactionSession start(String database, String txId, long lifetimeMillis,
      java.util.function.Supplier<Transaction> begin, BooleanSupplier leads, Runnable ended) {
    TransactionSession s = new TransactionSession(txId, lifetimeMillis);
    Thread t = new Thread(() -> s.run(begin, leads, ended), "hadb-tx-" + database + "-" + txId);
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** Ends the session once it began, without waiting: nobody will use it. */
  void abandon() {
    steps.add(new Step(tx -> {
      tx.rollback();
      return null;
    }, new CompletableFuture<>()));
  }

  /** Waits until the transaction began (the write lock taken), within its lifetime. */
  void awaitBegun() {
    await(begun, true);
  }

  /**
   * Runs {@code work} on the session's thread and returns its answer; a failure of the work is
   * rethrown as it was. Fails TIMEOUT when the session ended (expired, rolled back) before the
   * work ran: then it did not run. A step that runs on without an answer past the session's
   * lifetime (a commit waiting for storage) fails UNKNOWN_OUTCOME: it may yet apply.
   */
  Object step(Function<Transaction, Object> work) {
    if (over) {
      throw ended();
    }
    CompletableFuture<Object> answer = new CompletableFuture<>();
    steps.add(new Step(work, answer));
    if (over) {
      answer.completeExceptionally(ended()); // the thread may have drained the queue already
    }
    return await(answer, false);
  }

  /** {@code nothingRuns}: silence means nothing happened (BEGIN); else the work may be running. */
  private Object await(CompletableFuture<Object> f, boolean nothingRuns) {
    long left = deadlineNanos - System.nanoTime();
    try {
      // Past its deadline the thread rolls back and fails what is queued; 5 s on, only a step
      // still running keeps the answer back.
      return f.get(Math.max(left, 0) + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (nothingRuns) {
        throw HadbException.timeout("transaction " + txId + " did not begin within its lifetime", e);
      }
      throw HadbException.unknownOutcome("transaction " + txId + " did not answer within its lifetime; a commit"
          + " in progress may still apply", e);
    }
  }

  private void run(java.util.function.Supplier<Transaction> begin, BooleanSupplier leads, Runnable ended) {
    Transaction tx = null;
    try {
      tx = begin.get();
      if (System.nanoTime() - deadlineNanos >= 0) {
        throw ended(); // it waited for the write lock past its lifetime: nobody waits for it
      }
      begun.complete(null);
      while (!tx.isEnded()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          LOG.log(System.Logger.Level.INFO, "transaction " + txId + " outlived its lifetime: rolled back");
          break;
        }
        if (!leads.getAsBoolean()) {
          LOG.log(System.Logger.Level.INFO, "transaction " + txId + ": this node stopped leading; rolled back");
          break;
        }
        Step s = steps.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(LEADERSHIP_CHECK_MILLIS)),
            TimeUnit.NANOSECONDS);
        if (s != null) {
          try {
            s.answer().complete(s.work().apply(tx));
          } catch (RuntimeException e) {
            s.answer().completeExceptionally(e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      begun.completeExceptionally(e);
    } finally {
      over = true;
      try {
        if (tx != null && !tx.isEnded()) {
          tx.rollback();
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "rolling back transaction " + txId + " failed: " + e.getMessage());
      }
      begun.completeExceptionally(ended());
      for (Step s; (s = steps.poll()) != null; ) {
        s.answer().completeExceptionally(ended());
      }
      ended.run();
    }
  }

  private HadbException ended() {
    return HadbException.timeout("transaction " + txId + " has ended on the leader (rolled back when it outlived"
        + " its lifetime or lost leadership); nothing of it applied: retry the transaction", null);
  }
}
