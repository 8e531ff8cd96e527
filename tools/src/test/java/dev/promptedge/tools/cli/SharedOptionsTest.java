package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command that mixes in a shared option ({@link SeedOption}, {@link ThreadsOption}, {@link
 * OutDirOption}) says in {@code Options.properties} what it means there.
 */
class SharedOptionsTest {

  @Test
  void everySharedOptionHasItsCommandsDescription() {
    List<String> seen = new ArrayList<>();
    visit(new CommandLine(new PromptEdgeCli()).getCommandSpec(), seen);
    assertFalse(seen.isEmpty(), "no command mixes in a shared option");
  }

  private static void visit(CommandSpec command, List<String> seen) {
    for (OptionSpec option : command.options()) {
      if (!option.descriptionKey().isEmpty()) {
        String where = command.qualifiedName() + " " + option.longestName();
        String text = String.join(" ", option.description());
        assertFalse(
            text.isBlank(),
            () ->
                where
                    + " has no description: add "
                    + command.qualifiedName(".")
                    + "."
                    + option.descriptionKey()
                    + " to Options.properties");
        assertTrue(
            option.defaultValue() != null || option.hasInitialValue() || option.required(),
            () -> where + " has no default");
        seen.add(where);
      }
    }
    command.subcommands().values().forEach(sub -> visit(sub.getCommandSpec(), seen));
  }
}
