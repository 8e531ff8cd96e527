package dev.promptedge.tools.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

  @TempDir Path dir;

  @Test
  void readsThePublicKeyWrittenBesideThePrivateKey() throws Exception {
    SigningKey generated = KeyFiles.generate(dir, "a");
    SigningKey read = KeyFiles.read(dir.resolve("a.key"));
    assertEquals(generated.keyId(), read.keyId());
    assertEquals(generated.publicKey(), read.publicKey());
  }

  @Test
  void refusesAMissingPublicKeyFile() throws Exception {
    KeyFiles.generate(dir, "a");
    Files.delete(dir.resolve("a.pub"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyFiles.read(dir.resolve("a.key")));
    assertTrue(e.getMessage().contains("missing public key file"), e.getMessage());
    assertTrue(e.getMessage().contains("a.pub"), e.getMessage());
  }

  @Test
  void refusesAPublicKeyOfAnotherPrivateKey() throws Exception {
    KeyFiles.generate(dir, "a");
    KeyFiles.generate(dir, "b");
    Files.copy(
        dir.resolve("b.pub"),
        dir.resolve("a.pub"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyFiles.read(dir.resolve("a.key")));
    assertTrue(e.getMessage().contains("does not match the private key"), e.getMessage());
  }
}
