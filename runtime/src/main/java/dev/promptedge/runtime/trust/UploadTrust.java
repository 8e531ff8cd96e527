package dev.promptedge.runtime.trust;

import dev.promptedge.format.UpdateSettings;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.config.DeviceProfile;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The profile's rule for bundles uploaded to {@code POST /v1/bundles}: when it pins publisher keys
 * (updates.trusted_keys) a valid signature is required; when it pins none, unsigned uploads are
 * accepted only while the API listens on loopback, and refused otherwise. Immutable.
 *
 * @param verifier the check every upload passes
 * @param description the rule in a few words, for the ready line
 */
public record UploadTrust(BundleVerifier verifier, String description) {

  /**
   * The rule of {@code profile} for an API bound to {@code bind}.
   *
   * @param repositoryKeys keys trusted besides the pinned ones when the profile pins any (the
   *     update repository's targets keys), asked at each upload
   * @throws IllegalArgumentException when a pinned key is not valid
   */
  public static UploadTrust of(
      DeviceProfile profile,
      InetSocketAddress bind,
      Supplier<Map<String, PublicKey>> repositoryKeys) {
    UpdateSettings updates = profile.config().getUpdates();
    if (updates.getTrustedKeysCount() > 0) {
      BundleSignatures signatures =
          BundleSignatures.of(
              updates.getTrustedKeysList(),
              updates.getBundleSignatureThreshold(),
              repositoryKeys,
              profile.engineSettings().maxBundleBytes());
      return new UploadTrust(
          signatures::verify,
          "uploads need "
              + signatures.threshold()
              + " signature(s) by the "
              + updates.getTrustedKeysCount()
              + " pinned key(s) or the repository's targets keys");
    }
    if (bind.getAddress() != null && bind.getAddress().isLoopbackAddress()) {
      return new UploadTrust(
          BundleVerifier.UNVERIFIED,
          "uploads UNSIGNED accepted (no updates.trusted_keys; API on loopback only)");
    }
    String address =
        bind.getAddress() == null ? bind.getHostString() : bind.getAddress().toString();
    BundleVerifier refuse =
        bytes -> {
          throw new BundleException(
              "unsigned",
              "this device pins no publisher key (updates.trusted_keys) and its API listens on "
                  + address
                  + ", not loopback: uploads are refused. Pin a key in the profile and sign"
                  + " bundles with promptedge bundle sign --key KEY --in FILE");
        };
    return new UploadTrust(
        refuse, "uploads refused (no updates.trusted_keys and the API is not on loopback)");
  }
}
