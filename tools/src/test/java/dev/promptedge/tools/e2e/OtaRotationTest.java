package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PublicKey;
import dev.promptedge.format.Role;
import dev.promptedge.format.Root;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.UpdateClientState;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.RepositoryLayout;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threshold rows of the OTA suite, on repositories whose root or timestamp role has two keys. (The
 * rotations one key per role can show, on committed repositories, are the runtime's {@code
 * RootRotationTest}.)
 */
class OtaRotationTest {

  @TempDir Path dir;

  private static OtaFixture started(OtaFixture f) throws Exception {
    f.publish("shapes", 1, 1);
    CheckResult first = f.check();
    assertTrue(first.ok(), first.message());
    f.assertServing("shapes", 1);
    return f;
  }

  private static long trustedRootVersion(OtaFixture f) throws Exception {
    UpdateClientState state =
        UpdateClientState.parseFrom(Files.readAllBytes(f.dir.resolve("store/ota-state")));
    return Root.parseFrom(SignedMetadata.parseFrom(state.getRoot()).getPayload()).getVersion();
  }

  @Test
  void aRootSignedBelowItsThresholdIsRefused() throws Exception {
    Path a = dir.resolve("ka");
    SigningKey keyA = KeyFiles.generate(a, "a");
    KeyFiles.generate(a, "b");
    RepoPublisher.RoleKeyFiles twoOfTwo =
        new RepoPublisher.RoleKeyFiles(List.of(a.resolve("a.key"), a.resolve("b.key")), 2);
    try (OtaFixture f = started(new OtaFixture(dir.resolve("f"), Map.of(Role.ROOT, twoOfTwo)))) {
      SigningKey attacker = KeyFiles.generate(dir.resolve("evil"), "evil");
      Root old = f.publisher.root();
      Root next =
          old.toBuilder()
              .setVersion(2)
              .addKeys(
                  PublicKey.newBuilder()
                      .setKeyId(attacker.keyId())
                      .setPublicKeyX509(ByteString.copyFrom(attacker.publicKey().getEncoded())))
              .setTargets(old.getTargets().toBuilder().clearKeyIds().addKeyIds(attacker.keyId()))
              .build();
      // Only one of the two old root keys signs (the attacker stole one).
      f.write(RepositoryLayout.root(2), Signer.metadata(next, List.of(keyA, attacker)));
      f.assertRefused(f.check(), "signature", "shapes", 1);
      assertEquals(1, trustedRootVersion(f));
    }
  }

  @Test
  void aRepeatedKeyIdCountsOnce() throws Exception {
    Path k = dir.resolve("kt");
    SigningKey keyA = KeyFiles.generate(k, "a");
    KeyFiles.generate(k, "b");
    RepoPublisher.RoleKeyFiles twoOfTwo =
        new RepoPublisher.RoleKeyFiles(List.of(k.resolve("a.key"), k.resolve("b.key")), 2);
    try (OtaFixture f =
        started(new OtaFixture(dir.resolve("f"), Map.of(Role.TIMESTAMP, twoOfTwo)))) {
      f.publish("shapes", 2, 2);
      SignedMetadata t = SignedMetadata.parseFrom(f.read(RepositoryLayout.TIMESTAMP));
      var one = keyA.sign(t.getPayload().toByteArray());
      f.write(
          RepositoryLayout.TIMESTAMP,
          t.toBuilder()
              .clearSignatures()
              .addSignatures(one)
              .addSignatures(one)
              .build()
              .toByteArray());
      f.assertRefused(f.check(), "signature", "shapes", 1);
    }
  }
}
