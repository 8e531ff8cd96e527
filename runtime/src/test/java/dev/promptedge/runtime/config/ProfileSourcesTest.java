package dev.promptedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.source.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile's {@code sources} entries: read into specs, bad ones refused naming the field. */
class ProfileSourcesTest {

  @TempDir Path dir;

  private DeviceProfile read(String sources) throws Exception {
    return DeviceProfile.read(
        Files.writeString(dir.resolve("board.textproto"), DeviceProfileTest.MINIMAL + sources));
  }

  private String refused(String sources) throws Exception {
    Path file =
        Files.writeString(dir.resolve("board.textproto"), DeviceProfileTest.MINIMAL + sources);
    return assertThrows(ProfileException.class, () -> DeviceProfile.read(file)).getMessage();
  }

  @Test
  void everySchemeReadsWithDefaultsAndDirResolvesAgainstTheProfile() throws Exception {
    DeviceProfile profile =
        read(
            "sources { name: \"door\" url: \"http://cam.local/mjpeg\" fps: 5 tasks: \"detect\""
                + " tasks: \"segment\" }\n"
                + "sources { name: \"tls\" url: \"https://cam.local/mjpeg\" }\n"
                + "sources { name: \"usb\" url: \"exec:ffmpeg -f v4l2 -i /dev/video0 -f mjpeg -\""
                + " max_frame_bytes: 100000 }\n"
                + "sources { name: \"drop\" url: \"dir:incoming\" }\n");
    List<SourceSpec> specs = profile.sources();
    assertEquals(4, specs.size());
    assertEquals(
        new SourceSpec("door", "http://cam.local/mjpeg", 5, List.of("detect", "segment")),
        specs.get(0));
    assertEquals(List.of(), specs.get(1).tasks(), "no tasks: every installed task");
    assertEquals(SourceSpec.DEFAULT_MAX_FRAME_BYTES, specs.get(1).maxFrameBytes());
    assertEquals(100_000, specs.get(2).maxFrameBytes());
    assertEquals("dir:" + dir.toAbsolutePath().resolve("incoming"), specs.get(3).url());
    assertEquals(List.of(), read("").sources());
  }

  @Test
  void badEntriesNameTheSourceTheFieldAndTheFix() throws Exception {
    String scheme = refused("sources { name: \"door\" url: \"rtsp://cam/stream\" }\n");
    assertTrue(scheme.contains("board.textproto: sources[0] (door)"), scheme);
    assertTrue(scheme.contains("http://, https://, exec: or dir:"), scheme);
    assertTrue(scheme.contains("sources { name:"), scheme);

    String name = refused("sources { url: \"http://cam/\" }\n");
    assertTrue(name.contains("sources[0]") && name.contains("source name must be"), name);

    String twice =
        refused(
            "sources { name: \"a\" url: \"http://cam/1\" }\n"
                + "sources { name: \"a\" url: \"http://cam/2\" }\n");
    assertTrue(twice.contains("sources[1] (a): name: 'a' is used twice"), twice);

    String fps = refused("sources { name: \"a\" url: \"http://cam/\" fps: -1 }\n");
    assertTrue(fps.contains("fps must be 0"), fps);
    String nan = refused("sources { name: \"a\" url: \"http://cam/\" fps: nan }\n");
    assertTrue(nan.contains("fps must be 0"), nan);

    String command = refused("sources { name: \"a\" url: \"exec:  \" }\n");
    assertTrue(command.contains("names no command"), command);
    String path = refused("sources { name: \"a\" url: \"dir:\" }\n");
    assertTrue(path.contains("names no directory"), path);

    String big =
        refused("sources { name: \"a\" url: \"http://cam/\" max_frame_bytes: 4000000000 }\n");
    assertTrue(big.contains("max_frame_bytes must be"), big);

    String task = refused("sources { name: \"a\" url: \"http://cam/\" tasks: \" \" }\n");
    assertTrue(task.contains("a task name is empty"), task);
    String again =
        refused("sources { name: \"a\" url: \"http://cam/\" tasks: \"d\" tasks: \"d\" }\n");
    assertTrue(again.contains("name a task twice"), again);
  }
}
