package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.http.Request;
import dev.promptedge.runtime.daemon.http.Response;

/** One request of the API and its answer, as the endpoints pass them around. */
record Exchange(Request request, Response response) {

  /** The first value of request header {@code name}, or null. */
  String header(String name) {
    return request.header(name).orElse(null);
  }
}
