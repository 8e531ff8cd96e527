package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

  @TempDir Path dir;

  /** Magic 00 00 08 02, dims 2 x 3, six bytes. */
  static final byte[] TWO_BY_THREE = {
    0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, (byte) 255
  };

  static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void readsPlainAndGzipped() throws Exception {
    Files.write(dir.resolve("a.idx"), TWO_BY_THREE);
    Files.write(dir.resolve("a.idx.gz"), gzip(TWO_BY_THREE));
    for (String name : new String[] {"a.idx", "a.idx.gz"}) {
      IdxFile f = IdxFile.read(dir.resolve(name));
      assertArrayEquals(new int[] {2, 3}, f.dims());
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5, (byte) 255}, f.data());
    }
  }

  @Test
  void malformedFilesFail() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(TWO_BY_THREE, TWO_BY_THREE.length - 1);
    Files.write(dir.resolve("t.idx"), truncated);
    assertEquals(
        "IDX file is truncated",
        assertThrows(DatasetException.class, () -> IdxFile.read(dir.resolve("t.idx"))).problem());
    byte[] floats = TWO_BY_THREE.clone();
    floats[2] = 0x0D;
    Files.write(dir.resolve("f.idx"), floats);
    assertEquals(
        "IDX element type 0x0D is not unsigned byte (0x08)",
        assertThrows(DatasetException.class, () -> IdxFile.read(dir.resolve("f.idx"))).problem());
    byte[] extra = java.util.Arrays.copyOf(TWO_BY_THREE, TWO_BY_THREE.length + 1);
    Files.write(dir.resolve("x.idx"), extra);
    assertEquals(
        "IDX file has bytes after the [2, 3] array",
        assertThrows(DatasetException.class, () -> IdxFile.read(dir.resolve("x.idx"))).problem());
    Files.write(dir.resolve("m.idx"), new byte[] {1, 2, 8, 1, 0, 0, 0, 0});
    assertEquals(
        "not an IDX file: magic number 0x01020801",
        assertThrows(DatasetException.class, () -> IdxFile.read(dir.resolve("m.idx"))).problem());
  }

  @Test
  void debianFashionMnistHasSeventyThousandLabelledGlyphs() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        FashionMnist.isPresent(FashionMnist.DEBIAN_DIR),
        "needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
    FashionMnist train = FashionMnist.read(FashionMnist.DEBIAN_DIR, Split.TRAIN);
    FashionMnist test = FashionMnist.read(FashionMnist.DEBIAN_DIR, Split.VAL);
    assertEquals(60_000, train.size());
    assertEquals(10_000, test.size());
    int[] perClass = new int[10];
    for (int i = 0; i < test.size(); i++) {
      perClass[test.label(i)]++;
    }
    assertArrayEquals(
        new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
  }
}
