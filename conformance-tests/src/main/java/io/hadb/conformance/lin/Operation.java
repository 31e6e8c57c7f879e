package io.hadb.conformance.lin;

/**
 * One completed call in a recorded history.
 *
 * @param process the client or thread that made the call (for messages)
 * @param invokedNanos {@link System#nanoTime()} just before the call
 * @param returnedNanos {@link System#nanoTime()} just after it returned
 * @param op the operation with its result
 */
public record Operation<O>(int process, long invokedNanos, long returnedNanos, O op) {
  public Operation {
    if (returnedNanos < invokedNanos) {
      throw new IllegalArgumentException("an operation cannot return before it was invoked: " + op);
    }
  }

  @Override
  public String toString() {
    return "p" + process + " " + op;
  }
}
