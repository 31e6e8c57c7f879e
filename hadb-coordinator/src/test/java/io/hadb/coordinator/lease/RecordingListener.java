package io.hadb.coordinator.lease;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records role changes as they are delivered, and lets a test wait (boundedly) for one. */
final class RecordingListener implements LeadershipListener {
  record Event(boolean leader, Term term, DemotionReason reason, long atNanos) {}

  final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void isLeader(Term term) {
    add(new Event(true, term, null, System.nanoTime()));
  }

  @Override
  public void notLeader(Term term, DemotionReason reason) {
    add(new Event(false, term, reason, System.nanoTime()));
  }

  private synchronized void add(Event e) {
    events.add(e);
    notifyAll();
  }

  /** Waits until an event matching {@code p} arrived; fails after {@code bound} (a liveness bound). */
  synchronized Event await(Predicate<Event> p, Duration bound, String what) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      for (Event e : events) {
        if (p.test(e)) {
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + what + " within " + bound + "; events: " + events);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  Event awaitLeader(Duration bound) throws InterruptedException {
    return await(Event::leader, bound, "isLeader");
  }

  Event awaitDemotion(DemotionReason reason, Duration bound) throws InterruptedException {
    return await(e -> !e.leader() && e.reason() == reason, bound, "notLeader(" + reason + ")");
  }
}
