package dev.promptedge.tools.cli;

import dev.promptedge.format.TaskKind;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Parses task kinds written in lower case ({@code detection}) and lists them for help texts. */
final class TaskKinds implements CommandLine.ITypeConverter<TaskKind>, Iterable<String> {

  private static final List<String> NAMES = List.of("detection", "segmentation", "classification");

  @Override
  public TaskKind convert(String value) {
    String name = value.toLowerCase(Locale.ROOT);
    if (!NAMES.contains(name)) {
      throw new CommandLine.TypeConversionException(
          "unknown task '" + value + "': use one of " + String.join(", ", NAMES));
    }
    return TaskKind.valueOf(name.toUpperCase(Locale.ROOT));
  }

  @Override
  public Iterator<String> iterator() {
    return NAMES.iterator();
  }
}
