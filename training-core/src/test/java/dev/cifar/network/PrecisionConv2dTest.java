package dev.cifar.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import dev.cifar.engine.Bfloat16Convolution;
import dev.cifar.engine.ConvolutionMath;
import dev.cifar.engine.CpuInfo;
import dev.cifar.engine.Engines;
import dev.cifar.engine.PrecisionCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** Convolutions a run switches to bfloat16 and back, stored as plain {@link Conv2d}s. */
class PrecisionConv2dTest {

  @Test
  void fastSwitchesItsSixConvolutionsToBfloat16AndBack() {
    PrecisionCheck.Result verdict = ConvolutionMath.bfloat16Verdict();
    assumeTrue(
        verdict.correct(),
        () ->
            "bfloat16 convolutions are not used on "
                + CpuInfo.current().describe()
                + ": "
                + verdict.summary());
    Engines.pytorch();
    try (Model model = Model.newInstance("fast", Engines.ENGINE);
        Bfloat16Convolution bfloat16 = Bfloat16Convolution.load()) {
      NDManager manager = model.getNDManager();
      Block block = Networks.named("fast").build(10);
      model.setBlock(block);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      NDArray x = manager.randomNormal(new Shape(4, 3, 32, 32));
      NDArray float32 = forward(block, x);
      assertThat(PrecisionConv2d.use(block, bfloat16)).isEqualTo(6);
      NDArray rounded = forward(block, x);
      assertThat(rounded.contentEquals(float32)).isFalse();
      assertThat(rounded.sub(float32).norm().getFloat() / float32.norm().getFloat())
          .isLessThan(0.05f);
      assertThat(PrecisionConv2d.use(block, null)).isEqualTo(6);
      assertThat(forward(block, x).contentEquals(float32)).isTrue();
    }
  }

  @Test
  void storesItsWeightsAsAPlainConv2d() throws Exception {
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Engines.ENGINE)) {
      Block ours = PrecisionConv2d.of(3, 8);
      Block plain =
          Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optPadding(new Shape(1, 1))
              .setFilters(8)
              .optBias(false)
              .build();
      ours.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 6, 6));
      plain.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 6, 6));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      plain.saveParameters(new DataOutputStream(bytes));
      ours.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      NDArray x = manager.randomNormal(new Shape(2, 4, 6, 6));
      assertThat(forward(ours, x).contentEquals(forward(plain, x))).isTrue();
    }
  }

  @Test
  void takesOnlyOddKernels() {
    assertThatThrownBy(() -> PrecisionConv2d.of(2, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("odd kernels");
  }

  private static NDArray forward(Block block, NDArray x) {
    return block
        .forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
        .singletonOrThrow();
  }
}
