package dev.promptedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's main packages depend on each other one way only. Reads the sources: a package
 * depends on another when one of its files names a type of it (import, static import, wildcard
 * import or qualified name), comments and literals left out.
 */
class PackageCyclesTest {

  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(dev\\.promptedge\\.runtime(?:\\.[a-z_]\\w*)*)\\.(?:[A-Z]\\w*|\\*)");
  private static final Pattern COMMENT_OR_LITERAL =
      Pattern.compile(
          "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])+'",
          Pattern.DOTALL);

  @Test
  void mainPackagesHaveNoCycle() {
    Map<String, Map<String, Set<String>>> graph = dependencies(MAIN);
    assertTrue(
        graph.size() >= 10, "read only " + graph.keySet() + " under " + MAIN.toAbsolutePath());
    long edges = graph.values().stream().mapToLong(Map::size).sum();
    assertTrue(edges >= graph.size(), "found only " + edges + " package dependencies: " + graph);

    Map<String, Set<String>> targets = new TreeMap<>();
    graph.forEach((from, to) -> targets.put(from, to.keySet()));
    StringBuilder report = new StringBuilder();
    for (Set<String> cycle : cycles(targets)) {
      report.append("\ncycle ").append(cycle);
      for (String from : cycle) {
        graph
            .get(from)
            .forEach(
                (to, files) -> {
                  if (cycle.contains(to)) {
                    report.append("\n  ").append(from).append(" -> ").append(to).append(": ");
                    report.append(files);
                  }
                });
      }
    }
    assertEquals("", report.toString(), "package cycles among the runtime's main packages");
  }

  @Test
  void cyclesFindsEachStronglyConnectedGroupOnce() {
    Map<String, Set<String>> graph =
        Map.of(
            "a", Set.of("b"),
            "b", Set.of("c"),
            "c", Set.of("a", "d"),
            "d", Set.of(),
            "e", Set.of("f", "a"),
            "f", Set.of("e"));
    List<Set<String>> found = cycles(graph);
    assertEquals(Set.of(Set.of("a", "b", "c"), Set.of("e", "f")), Set.copyOf(found));
    assertEquals(2, found.size());
    assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of())));
  }

  /**
   * For each package under {@code root}: the runtime packages it names, with the files naming them.
   */
  private static Map<String, Map<String, Set<String>>> dependencies(Path root) {
    Map<String, Map<String, Set<String>>> named = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = COMMENT_OR_LITERAL.matcher(Files.readString(file)).replaceAll(" ");
        Matcher declared = PACKAGE.matcher(source);
        assertTrue(declared.find(), file + " declares no package");
        Map<String, Set<String>> uses =
            named.computeIfAbsent(declared.group(1), p -> new TreeMap<>());
        Matcher reference = REFERENCE.matcher(source);
        while (reference.find()) {
          if (!reference.group(1).equals(declared.group(1))) {
            uses.computeIfAbsent(reference.group(1), p -> new TreeSet<>())
                .add(file.getFileName().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A qualified name such as a.b.Outer.Inner names package a.b only when a.b is a package.
    named.values().forEach(uses -> uses.keySet().retainAll(named.keySet()));
    return named;
  }

  /** The strongly connected groups of more than one node. */
  static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Tarjan tarjan = new Tarjan(graph);
    new TreeSet<>(graph.keySet()).forEach(tarjan::visitOnce);
    return tarjan.found;
  }

  /** Tarjan's strongly connected components over a graph given as node to successors. */
  private static final class Tarjan {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final List<Set<String>> found = new ArrayList<>();

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    void visitOnce(String node) {
      if (!index.containsKey(node)) {
        visit(node);
      }
    }

    private void visit(String node) {
      index.put(node, index.size());
      low.put(node, index.get(node));
      stack.push(node);
      for (String next : graph.getOrDefault(node, Set.of())) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(node, Math.min(low.get(node), low.get(next)));
        } else if (stack.contains(next)) {
          low.put(node, Math.min(low.get(node), index.get(next)));
        }
      }
      if (low.get(node).equals(index.get(node))) {
        Set<String> group = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          group.add(member);
        } while (!member.equals(node));
        if (group.size() > 1) {
          found.add(group);
        }
      }
    }
  }
}
