package dev.cifar.network;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.engine.Precision;
import dev.cifar.onnx.OnnxGraph;
import dev.cifar.recipe.Averaging;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Optimizer;
import dev.cifar.recipe.Schedule;
import java.util.List;
import java.util.Set;

/**
 * The strong network, after the airbench94 record for fast CIFAR-10 training: a fixed 2x2 whitening
 * convolution (24 filters from the eigenvectors of the training patches' covariance, plus their
 * negatives), GELU, then three groups of {@code conv 3x3, max-pool 2, batch norm, GELU, conv 3x3,
 * batch norm, GELU} with widths 64, 256 and 256, a final max-pool 3, a linear layer without bias
 * and a fixed scale of 1/9. Convolutions start as identity maps on their first input channels
 * (Dirac initialisation), so that every group starts close to a residual pass-through; batch norms
 * learn a shift only. Inputs are standardised with the CIFAR-10 channel means and standard
 * deviations. Batch-norm shifts learn {@value #SHIFT_RATE_SCALE} times faster than the other
 * parameters; the whitening layer's bias learns during the first {@value #WHITENING_BIAS_EPOCHS}
 * epochs only.
 */
final class FastNetwork implements Network {

  /** Widths of the three groups. */
  static final int[] WIDTHS = {64, 256, 256};

  /** Learning-rate multiplier of the batch-norm shifts (airbench's bias scaler). */
  static final float SHIFT_RATE_SCALE = 64f;

  static final float OUTPUT_SCALE = 1f / 9;

  /** The batch norms' epsilon. */
  private static final float BATCH_NORM_EPSILON = 1e-12f;

  /** Epochs during which the whitening layer's bias learns (airbench's whiten_bias_epochs). */
  static final int WHITENING_BIAS_EPOCHS = 3;

  private static final float BATCH_NORM_MOMENTUM = 0.6f;

  /**
   * airbench94's recipe, its hyper-parameters restated for a mean (not summed) loss: Nesterov SGD
   * at momentum 0.85 with rate 1.5 (airbench's 11.5 per 1,024 images) and L2 decay 0.00133 (its
   * decoupled 0.0153), batch 1,024, label smoothing 0.2, alternating flip and 2-pixel translation,
   * a rate warming up from 0.2 of the peak over 23% of the steps then falling linearly to 0.07 of
   * it, lookahead weight averaging, test-time averaging over mirror and translated views, and
   * bfloat16 convolutions on CPUs with AMX, as airbench trains in half precision on GPUs.
   */
  static final Recipe RECIPE =
      new Recipe(
          1024,
          new Optimizer.Sgd(1.5f, 0.85f, 0.00133f),
          new Schedule(Schedule.Shape.LINEAR, 0.23, 0.2f, 0.07f),
          0.2f,
          Set.of(BatchAugmentation.ALTFLIP, BatchAugmentation.TRANSLATE),
          TestTimeAugmentation.FLIP_TRANSLATE,
          Averaging.LOOKAHEAD,
          Precision.BFLOAT16);

  @Override
  public String name() {
    return "fast";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Normalization normalization() {
    return Normalization.CIFAR10;
  }

  @Override
  public Recipe recipe() {
    return RECIPE;
  }

  @Override
  public String description() {
    return "fast: whitening conv 24@2x2, 3 groups of 2 conv 3x3 + batch norm + GELU (64, 256, 256), max-pool,"
        + " linear, x1/9";
  }

  @Override
  public Block build(int classes) {
    SequentialBlock net = new SequentialBlock();
    Block whitening =
        Conv2d.builder().setKernelShape(new Shape(2, 2)).setFilters(Whitening.FILTERS).build();
    whitening.getParameters().get("weight").freeze(true);
    net.add(whitening);
    net.add(Activation.geluBlock());
    int in = Whitening.FILTERS;
    for (int width : WIDTHS) {
      net.add(group(in, width));
      in = width;
    }
    net.add(MaxPool2d.of(3));
    net.add(Blocks.batchFlattenBlock());
    Block head = Linear.builder().setUnits(classes).optBias(false).build();
    head.setInitializer(new TorchDefaultInitializer(in), Parameter.Type.WEIGHT);
    net.add(head);
    net.add(LambdaBlock.singleton(x -> x.mul(OUTPUT_SCALE), "scale"));
    return net;
  }

  private static Block group(int in, int out) {
    return new SequentialBlock()
        .add(conv(in, out))
        .add(MaxPool2d.of(2))
        .add(batchNorm())
        .add(Activation.geluBlock())
        .add(conv(out, out))
        .add(batchNorm())
        .add(Activation.geluBlock());
  }

  private static Block conv(int in, int out) {
    Block conv = PrecisionConv2d.of(3, out);
    conv.setInitializer(new DiracInitializer(in * 9L), Parameter.Type.WEIGHT);
    return conv;
  }

  private static Block batchNorm() {
    return BatchNorm.builder()
        .optScale(false)
        .optCenter(true)
        .optMomentum(BATCH_NORM_MOMENTUM)
        .optEpsilon(BATCH_NORM_EPSILON)
        .build();
  }

  @Override
  public String toOnnx(Block block, OnnxGraph g, String x) {
    List<Block> layers = block.getChildren().values();
    String y = g.gelu(g.conv(x, layers.get(0)));
    for (int i = 0; i < WIDTHS.length; i++) {
      List<Block> group = layers.get(2 + i).getChildren().values();
      y = g.maxPool(g.conv(y, group.get(0)), 2, 2);
      y = g.gelu(g.batchNorm(y, group.get(2), BATCH_NORM_EPSILON));
      y = g.gelu(g.batchNorm(g.conv(y, group.get(4)), group.get(5), BATCH_NORM_EPSILON));
    }
    y = g.flatten(g.maxPool(y, 3, 3));
    return g.scale(g.linear(y, layers.get(2 + WIDTHS.length + 2)), OUTPUT_SCALE);
  }

  @Override
  public void initialize(Block block, LabeledImages images, int[] indices) {
    Parameter weight = whitening(block, "weight");
    weight.getArray().set(Whitening.filters(images, indices, normalization()));
  }

  @Override
  public void beforeEpoch(Block block, int epoch) {
    Parameter bias = whitening(block, "bias");
    boolean frozen = epoch > WHITENING_BIAS_EPOCHS;
    if (bias.requiresGradient() == frozen) {
      bias.freeze(frozen);
    }
  }

  /** A parameter of the whitening layer, the block's first child. */
  private static Parameter whitening(Block block, String name) {
    return block.getChildren().get(0).getValue().getParameters().get(name);
  }

  @Override
  public MemoryLayout layout() {
    return MemoryLayout.CHANNELS_LAST;
  }

  @Override
  public float learningRateScale(Parameter parameter) {
    return parameter.getType() == Parameter.Type.BETA ? SHIFT_RATE_SCALE : 1f;
  }
}
