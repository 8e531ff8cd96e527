package dev.promptedge.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies the ONNX Runtime jar keeping the natives of one platform only ({@code
 * ai/onnxruntime/native/PLATFORM/}), so that a package carries its architecture's libraries and not
 * the other three: {@code StripNatives IN.jar OUT.jar linux-aarch64}. Classes and other resources
 * are copied as they are; a platform the jar does not carry is refused, naming those it does.
 */
public final class StripNatives {

  static final String NATIVE_ROOT = "ai/onnxruntime/native/";

  private StripNatives() {}

  /** What a run kept: entries in and out, bytes in and out. */
  record Result(int entriesIn, int entriesOut, long bytesIn, long bytesOut) {}

  /** Runs the copy; prints one line with the sizes; exits 1 with one line naming the error. */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: StripNatives IN.jar OUT.jar PLATFORM (e.g. linux-x64)");
      System.exit(2);
    }
    try {
      Result r = strip(Path.of(args[0]), Path.of(args[1]), args[2]);
      System.out.printf(
          Locale.ROOT,
          "StripNatives: %s -> %s (%s natives only): %d of %d entries, %,d -> %,d bytes%n",
          args[0],
          args[1],
          args[2],
          r.entriesOut(),
          r.entriesIn(),
          r.bytesIn(),
          r.bytesOut());
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      System.err.println("StripNatives: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Writes {@code out}: every entry of {@code in} except natives of platforms other than {@code
   * platform}.
   *
   * @throws IllegalArgumentException when {@code in} has no natives for {@code platform}
   */
  static Result strip(Path in, Path out, String platform) throws IOException {
    if (platform.isBlank() || platform.contains("/")) {
      throw new IllegalArgumentException(
          "platform '" + platform + "' is not a folder name such as linux-x64 or linux-aarch64");
    }
    String keep = NATIVE_ROOT + platform + "/";
    TreeSet<String> platforms = new TreeSet<>();
    List<ZipEntry> kept = new ArrayList<>();
    int entriesIn = 0;
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (InputStream raw = Files.newInputStream(in);
        ZipInputStream zin = new ZipInputStream(raw);
        OutputStream rawOut = Files.newOutputStream(tmp);
        ZipOutputStream zout = new ZipOutputStream(rawOut)) {
      for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
        entriesIn++;
        String name = e.getName();
        if (name.startsWith(NATIVE_ROOT) && name.length() > NATIVE_ROOT.length()) {
          String rest = name.substring(NATIVE_ROOT.length());
          int slash = rest.indexOf('/');
          platforms.add(slash < 0 ? rest : rest.substring(0, slash));
          if (!name.startsWith(keep) && !name.equals(keep.substring(0, keep.length() - 1))) {
            continue;
          }
        }
        ZipEntry copy = new ZipEntry(name);
        copy.setTime(e.getTime());
        zout.putNextEntry(copy);
        zin.transferTo(zout);
        zout.closeEntry();
        kept.add(copy);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    if (!platforms.contains(platform)) {
      Files.deleteIfExists(tmp);
      throw new IllegalArgumentException(
          in
              + " has no natives for '"
              + platform
              + "' under "
              + NATIVE_ROOT
              + (platforms.isEmpty() ? " (it has no natives at all)" : "; it has " + platforms));
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return new Result(entriesIn, kept.size(), Files.size(in), Files.size(out));
  }
}
