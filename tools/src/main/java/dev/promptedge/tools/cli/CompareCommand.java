package dev.promptedge.tools.cli;

import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.eval.AccuracyTable;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code promptedge compare}: evaluations side by side, as Markdown tables. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Put evaluations side by side: one Markdown table per task, one row per bundle, each"
          + " metric on the float and the int8 backbone, with the bundle's mode (linear-probe,"
          + " prompt, full), head (linear, conv), prompt kinds, trainable values and its bytes"
          + " against the backbone's. A bundle trained in mode full counts its own"
          + " fine-tuned backbone in its bytes per task.",
      "",
      "With --include, the table starts from the rows of an earlier table's --json file and"
          + " the metrics files add bundles or replace the rows of a bundle of the same task and"
          + " name, so a table grows over runs whose evaluation folders are gone.",
      "",
      "Example: promptedge compare --out table.md --json table.json eval/*/metrics.json"
    })
final class CompareCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "METRICS.json",
      description = "metrics.json files written by 'promptedge eval --out DIR'.")
  List<Path> files = List.of();

  @Option(
      names = "--include",
      paramLabel = "TABLE.json",
      description =
          "Start from the rows of this earlier 'compare --json' file (repeatable); a metrics"
              + " file of the same task and bundle name replaces a bundle's rows.")
  List<Path> include = List.of();

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the tables here.")
  Path out;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Also write the rows as JSON here: one per bundle, precision and metric (task, bundle,"
              + " mode, head, prompts, precision, metric, value, trainable_values, bundle_bytes,"
              + " bytes_per_task, backbone_bytes, images).")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (files.isEmpty() && include.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give metrics.json files, --include TABLE.json, or both");
    }
    AccuracyTable table = AccuracyTable.read(files, include);
    String tables = table.markdown();
    PrintWriter log = spec.commandLine().getOut();
    log.print(tables);
    if (out != null) {
      AtomicFiles.write(out, tables.getBytes(StandardCharsets.UTF_8));
      log.printf("%nwrote %s%n", out);
    }
    if (json != null) {
      AtomicFiles.write(json, table.json().getBytes(StandardCharsets.UTF_8));
      log.printf("wrote %s%n", json);
    }
    return 0;
  }
}
