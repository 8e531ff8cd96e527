package dev.promptedge.runtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The bundle store could not write or read its directory (a full or read-only disk, a damaged file
 * system). The message names the store directory and the operating system's reason.
 */
public final class StoreException extends UncheckedIOException {

  private static final long serialVersionUID = 1L;

  StoreException(String message, IOException cause) {
    super(message, cause);
  }
}
