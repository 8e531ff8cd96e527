package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.image.ImageDecodeException;

/**
 * A request the API refuses: an HTTP status, a stable code and one sentence for the client,
 * answered as an {@code ApiError}.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  /** Creates the exception. */
  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** Stable machine-readable code, e.g. {@code "unknown_task"}. */
  public String code() {
    return code;
  }

  /** A refused bundle or task operation, with a status chosen by its code. */
  public static ApiException of(BundleException e) {
    int status;
    switch (e.code()) {
      case "unknown_task":
        status = 404;
        break;
      case "too_large":
        status = 413;
        break;
      case "corrupt":
      case "unknown_version":
      case "bad_name":
      case "bad_version":
        status = 400;
        break;
      case "unsigned":
      case "signature":
        status = 403;
        break;
      case "store_write_failed":
        status = 507;
        break;
      case "task_active":
      case "no_active_task":
      case "version_reused":
      case "rollback":
        status = 409;
        break;
      default:
        status = 422;
    }
    return new ApiException(status, e.code(), e.getMessage());
  }

  /** An image that could not be used: too many pixels (413) or not decodable (400). */
  public static ApiException of(ImageDecodeException e) {
    String message = e.getMessage();
    if (message.startsWith("image too large")) {
      return new ApiException(413, "image_too_large", message);
    }
    if (message.contains("truncated")) {
      return new ApiException(400, "image_truncated", message);
    }
    return new ApiException(400, "image_undecodable", message);
  }
}
