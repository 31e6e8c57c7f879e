package io.hadb.coordinator.net;

/** Answers requests on one path of the node's port. Runs on a handler thread; may block. */
@FunctionalInterface
public interface HttpService {
  HttpResponse handle(HttpRequest request);
}
