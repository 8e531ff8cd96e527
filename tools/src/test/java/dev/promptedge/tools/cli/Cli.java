package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs {@link PromptEdgeCli} in-process with string streams and keeps what it printed. */
record Cli(int code, String out, String err) {

  /** Runs {@code promptedge ARGS...}. */
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true)) {
      code = PromptEdgeCli.run(args, o, e);
    }
    return new Cli(code, out.toString(), err.toString());
  }

  /** The lines printed on stderr. */
  List<String> errLines() {
    return err.lines().toList();
  }

  /** Asserts the exit code, with both streams in the failure message. */
  Cli expect(int expected) {
    assertEquals(expected, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
    return this;
  }

  /** Asserts exactly one line on stderr and returns it. */
  String oneErrorLine() {
    assertEquals(1, errLines().size(), () -> "expected one line on stderr, got:\n" + err);
    return errLines().get(0);
  }
}
