package dev.promptedge.tools.cli;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge backbone}: build backbones. */
@Command(
    name = "backbone",
    description = "Build and check backbones (the frozen model every task shares).",
    mixinStandardHelpOptions = true,
    subcommands = {
      BackboneCommand.Build.class,
      BackbonePretrainCommand.class,
      BackboneQuantizeCommand.class,
      BackboneVerifyCommand.class,
      BackboneThroughputCommand.class,
      BackboneInspectCommand.class,
      BackboneImportCommand.class,
      BackboneExportCommand.class,
      CommandLine.HelpCommand.class
    })
final class BackboneCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code promptedge backbone build}. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Write a ViT backbone with seeded weights as a float32 .tflite (signature 'encode':"
            + " pixels [B,H,W,3] + prompt [B,L,P,D] -> features [B,H/patch,W/patch,D]) and its"
            + " card NAME.card.textproto.",
        "",
        "Example: promptedge backbone build --out models --preset micro --seed 7"
      })
  static final class Build implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutDirOption out;

    @Option(
        names = "--preset",
        defaultValue = "micro",
        description =
            "Starting architecture: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Options"
                + " below override its values.")
    Preset preset;

    @Option(names = "--name", description = "Backbone name (default: the preset's).")
    String name;

    @Option(names = "--input", paramLabel = "PIXELS", description = "Square input side.")
    Integer input;

    @Option(names = "--patch", paramLabel = "PIXELS", description = "Patch side.")
    Integer patch;

    @Option(names = "--dim", paramLabel = "D", description = "Token width.")
    Integer dim;

    @Option(names = "--depth", description = "Transformer blocks.")
    Integer depth;

    @Option(names = "--heads", description = "Attention heads per block.")
    Integer heads;

    @Option(names = "--mlp-ratio", description = "MLP hidden width in multiples of D.")
    Integer mlpRatio;

    @Option(names = "--prompt-tokens", paramLabel = "P", description = "Prompt tokens per layer.")
    Integer promptTokens;

    @Option(
        names = "--deep",
        negatable = true,
        description = "Deep VPT: fresh prompt tokens at every block (L = depth); default shallow.")
    Boolean deep;

    @CommandLine.Mixin SeedOption seed = new SeedOption(7);

    @Override
    public Integer call() throws Exception {
      VitSpec base = preset.spec(Boolean.TRUE.equals(deep));
      VitSpec vit =
          new VitSpec(
              name != null ? name : base.name(),
              input != null ? input : base.inputHeight(),
              input != null ? input : base.inputWidth(),
              patch != null ? patch : base.patchSize(),
              dim != null ? dim : base.embedDim(),
              depth != null ? depth : base.depth(),
              heads != null ? heads : base.heads(),
              mlpRatio != null ? mlpRatio : base.mlpRatio(),
              promptTokens != null ? promptTokens : base.promptTokens(),
              Boolean.TRUE.equals(deep),
              base.layerNormEpsilon(),
              base.normalizationMean(),
              base.normalizationStd());
      CardFile card =
          BackboneFiles.write(
              out.value(),
              vit,
              VitWeights.random(vit, seed.value()),
              Provenances.of(spec, seed.value(), "none: seeded random weights"));
      var c = card.card();
      spec.commandLine()
          .getOut()
          .printf(
              "wrote %s (%d bytes, sha256 %s)%nwrote %s%n  input %dx%d, patch %d, D %d, depth %d,"
                  + " heads %d, prompt [L=%d, P=%d, D=%d], features [%d, %d, %d]%n",
              card.modelPath(false),
              c.getFloatModel().getSizeBytes(),
              c.getFloatModel().getSha256(),
              card.path(),
              vit.inputWidth(),
              vit.inputHeight(),
              vit.patchSize(),
              vit.embedDim(),
              vit.depth(),
              vit.heads(),
              vit.promptLayers(),
              vit.promptTokens(),
              vit.embedDim(),
              vit.gridHeight(),
              vit.gridWidth(),
              vit.embedDim());
      return 0;
    }
  }

  /** Starting architectures for {@code backbone build}. */
  enum Preset {
    micro;

    VitSpec spec(boolean deep) {
      return VitSpec.micro(deep);
    }
  }
}
