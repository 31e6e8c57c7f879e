package io.hadb.lease.etcd.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Puts a gRPC deadline on every unary etcd call. The store also stops waiting on its own clock;
 * the deadline additionally cancels the call on the wire and tells the server to give up, so an
 * unanswered request does not linger in the client. Streaming calls (watch) get none.
 */
public final class DeadlineInterceptor implements ClientInterceptor {
  private final long nanos;

  public DeadlineInterceptor(Duration timeout) {
    this.nanos = timeout.toNanos();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
      options = options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS);
    }
    return next.newCall(method, options);
  }
}
