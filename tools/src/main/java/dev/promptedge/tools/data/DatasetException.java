package dev.promptedge.tools.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A dataset file is missing or malformed. The message is {@code FILE: PROBLEM}, naming the file and
 * what is wrong with it in one sentence. Unchecked: thrown from {@link SampleSet#get} in a training
 * loop as well as when a dataset is opened.
 */
public final class DatasetException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /** A problem with {@code file}. */
  public DatasetException(Path file, String problem) {
    this(file, problem, null);
  }

  /** A problem with {@code file} caused by {@code cause} (an I/O or decoding failure). */
  public DatasetException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }

  /** The problem, without the file name. */
  public String problem() {
    return problem;
  }
}
