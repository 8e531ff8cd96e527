package dev.promptedge.tools.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.onnx.OnnxExport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code promptedged} process: {@code --engine} overrides the profile's engine. */
class PromptedgedCommandLineTest {

  @TempDir Path dir;

  @Test
  void engineFlagRunsTheBackboneOnOnnxRuntime() throws Exception {
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    OnnxExport.export(setup.card);
    Path profile = profile(setup);
    assertTrue(!Files.readString(profile).contains("engine"), "the profile names no engine");
    ProcessBuilder command = DaemonProcess.command(profile, List.of("-Xmx256m"));
    command.command().addAll(List.of("--engine", "onnxruntime"));
    Process process = command.redirectError(dir.resolve("err").toFile()).start();
    try {
      String ready =
          new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertTrue(
          ready != null && ready.contains("(float on onnxruntime)"),
          ready + "\n" + Files.readString(dir.resolve("err")));
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void unknownEngineExitsWithUsage() throws Exception {
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    ProcessBuilder command = DaemonProcess.command(profile(setup), List.of());
    command.command().addAll(List.of("--engine", "tpu"));
    Process process = command.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue(), out);
    assertTrue(out.contains("unknown engine 'tpu': use tflite, onnxruntime or auto"), out);
    assertTrue(out.contains("usage: promptedged --profile FILE.textproto"), out);
  }

  private Path profile(MicroSetup setup) throws Exception {
    return TestProfiles.write(
        dir.resolve("profile.textproto"), setup.card, dir.resolve("store"), "", 0, List.of(), 0);
  }
}
