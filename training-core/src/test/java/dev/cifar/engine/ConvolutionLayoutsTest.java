package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.cifar.CifarException;
import dev.cifar.network.Networks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layout of a network's convolutions is one this process measured correct: the preferred one
 * where it is, the other one with a warning where only that one is, none where neither is. Runs on
 * every CPU; the measurements of this one are printed in the report.
 */
class ConvolutionLayoutsTest {

  private static final PrecisionCheck.Accuracy RIGHT =
      new PrecisionCheck.Accuracy(true, "within 2e-07 of float32");
  private static final PrecisionCheck.Accuracy WRONG =
      new PrecisionCheck.Accuracy(
          false, "wrong on this CPU: the output of 24->40 channels 7x7 NCHW is off by 0.2");

  @Test
  void theGemmReferenceIsAConvolution() {
    // against the plain-Java reference, on a strided, dilated, padded geometry with odd channels
    ConvolutionShape shape =
        new ConvolutionShape(
            5, 7, 9, 8, new Shape(3, 2), new Shape(2, 1), new Shape(1, 2), new Shape(2, 1), true);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.ENGINE)) {
      NDArray x = manager.arange(4f * 5 * 9 * 8).reshape(4, 5, 9, 8).sin();
      NDArray w = manager.arange(7f * 5 * 3 * 2).reshape(7, 5, 3, 2).cos();
      NDArray y = GemmConvolution.convolve(x, w, shape);
      assertThat(y.getShape())
          .isEqualTo(new Shape(4, 7, shape.outputHeight(), shape.outputWidth()));
      float[] xs = x.toFloatArray();
      float[] ws = w.toFloatArray();
      float[] ys = y.toFloatArray();
      int ho = (int) shape.outputHeight();
      int wo = (int) shape.outputWidth();
      for (int b = 0; b < 4; b++) {
        for (int o = 0; o < 7; o++) {
          for (int i = 0; i < ho; i++) {
            for (int j = 0; j < wo; j++) {
              double sum = 0;
              for (int c = 0; c < 5; c++) {
                for (int ki = 0; ki < 3; ki++) {
                  for (int kj = 0; kj < 2; kj++) {
                    int r = i * 2 - 1 + ki * 2;
                    int q = j - 2 + kj;
                    if (r >= 0 && r < 9 && q >= 0 && q < 8) {
                      sum +=
                          xs[((b * 5 + c) * 9 + r) * 8 + q] * ws[((o * 5 + c) * 3 + ki) * 2 + kj];
                    }
                  }
                }
              }
              assertThat(ys[((b * 7 + o) * ho + i) * wo + j]).isCloseTo((float) sum, within(1e-4f));
            }
          }
        }
      }
    }
  }

  @Test
  void aNetworksConvolutionsAreFoundWithTheirInputSizes() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.ENGINE)) {
      Block block = Networks.named("seed").build(10);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      List<ConvolutionShape> shapes = ConvolutionShape.of(block);
      assertThat(shapes)
          .extracting(ConvolutionShape::toString)
          .containsExactly("3->6 5x5 at 32x32", "6->16 5x5 at 14x14");
      assertThat(shapes)
          .as("no gradient is asked of the images")
          .extracting(ConvolutionShape::inputGradient)
          .containsExactly(false, true);
    }
  }

  @Test
  void eachNetworksConvolutionsAreMeasuredOnceOnThisCpu() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.ENGINE)) {
      for (String name : List.of("seed", "fast", "resnet18")) {
        Block block = Networks.named(name).build(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        List<ConvolutionShape> shapes = ConvolutionShape.of(block);
        assertThat(shapes).isNotEmpty();
        for (MemoryLayout layout : MemoryLayout.values()) {
          PrecisionCheck.Accuracy verdict = ConvolutionLayouts.verdict(shapes, layout, true);
          System.out.printf(
              "%s %s on %s: %s%n", name, layout, CpuInfo.current().describe(), verdict.summary());
          assertThat(ConvolutionLayouts.verdict(shapes, layout, true)).isSameAs(verdict);
        }
        // the chosen layout is one measured correct, or none is and the choice says so
        boolean any =
            Arrays.stream(MemoryLayout.values())
                .anyMatch(l -> ConvolutionLayouts.verdict(shapes, l, true).correct());
        for (MemoryLayout preferred : MemoryLayout.values()) {
          if (any) {
            MemoryLayout chosen =
                ConvolutionLayouts.choose(preferred, block, Device.cpu(), true, w -> {});
            assertThat(ConvolutionLayouts.verdict(shapes, chosen, true).correct()).isTrue();
          } else {
            assertThatThrownBy(
                    () -> ConvolutionLayouts.choose(preferred, block, Device.cpu(), true, w -> {}))
                .isInstanceOf(CifarException.class);
          }
          assertThat(ConvolutionLayouts.choose(preferred, block, Device.gpu(), true, w -> {}))
              .isEqualTo(preferred);
        }
      }
    }
  }

  @Test
  void aWrongOutputOrGradientIsFoundAndARightOneIsNot() {
    List<ConvolutionShape> shapes = ConvolutionShape.GENERIC;
    ConvolutionLayouts.Kernel right = (x, w, shape) -> GemmConvolution.convolve(x, w, shape);
    assertThat(ConvolutionLayouts.measure(shapes, MemoryLayout.NCHW, true, right).correct())
        .isTrue();
    PrecisionCheck.Accuracy output =
        ConvolutionLayouts.measure(
            shapes,
            MemoryLayout.NCHW,
            false,
            (x, w, shape) -> right.convolve(x, w, shape).mul(1.05f));
    assertThat(output.correct()).isFalse();
    assertThat(output.summary())
        .startsWith("wrong on this CPU: the output of a 16->24 3x3 at 9x9 convolution NCHW");
    // float32's output; the gradients flow through a second, scaled convolution too
    ConvolutionLayouts.Kernel wrongGradient =
        (x, w, shape) -> {
          NDArray extra = right.convolve(x, w.mul(0.1f), shape);
          return right.convolve(x, w, shape).add(extra).sub(extra.stopGradient());
        };
    assertThat(
            ConvolutionLayouts.measure(shapes, MemoryLayout.NCHW, false, wrongGradient).correct())
        .as("predicting needs no gradient")
        .isTrue();
    assertThat(
            ConvolutionLayouts.measure(shapes, MemoryLayout.CHANNELS_LAST, true, wrongGradient)
                .summary())
        .startsWith("wrong on this CPU: the input gradient")
        .contains("channels-last");
  }

  @Test
  void thePreferredLayoutIsKeptWhereItIsCorrect() {
    List<String> warnings = new ArrayList<>();
    for (MemoryLayout preferred : MemoryLayout.values()) {
      Map<MemoryLayout, PrecisionCheck.Accuracy> verdicts =
          Map.of(preferred, RIGHT, preferred.other(), WRONG);
      assertThat(ConvolutionLayouts.choose(preferred, verdicts::get, "a CPU", warnings::add))
          .isEqualTo(preferred);
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theOtherLayoutIsUsedWithAWarningWhereOnlyItIsCorrect() {
    List<String> warnings = new ArrayList<>();
    Map<MemoryLayout, PrecisionCheck.Accuracy> verdicts =
        Map.of(MemoryLayout.NCHW, WRONG, MemoryLayout.CHANNELS_LAST, RIGHT);
    assertThat(
            ConvolutionLayouts.choose(MemoryLayout.NCHW, verdicts::get, "AMD EPYC", warnings::add))
        .isEqualTo(MemoryLayout.CHANNELS_LAST);
    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith("float32 convolutions in NCHW are wrong on this CPU: the output")
        .contains("on AMD EPYC", "run channels-last, measured correct: within 2e-07");
  }

  @Test
  void noLayoutIsUsedWhereNeitherIsCorrect() {
    Map<MemoryLayout, PrecisionCheck.Accuracy> verdicts =
        Map.of(MemoryLayout.NCHW, WRONG, MemoryLayout.CHANNELS_LAST, WRONG);
    assertThatThrownBy(
            () ->
                ConvolutionLayouts.choose(
                    MemoryLayout.CHANNELS_LAST, verdicts::get, "AMD EPYC", w -> {}))
        .isInstanceOf(CifarException.class)
        .hasMessageContaining("wrong on AMD EPYC in every memory layout")
        .hasMessageContaining("ONEDNN_MAX_CPU_ISA=AVX2");
  }

  @Test
  void eitherLayoutKeepsValuesAndShape() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.ENGINE)) {
      NDArray x = manager.arange(2f * 3 * 4 * 5).reshape(2, 3, 4, 5);
      for (MemoryLayout layout : MemoryLayout.values()) {
        for (MemoryLayout from : MemoryLayout.values()) {
          NDArray y = layout.apply(from.apply(x));
          assertThat(y.getShape()).isEqualTo(new Shape(2, 3, 4, 5));
          assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
        }
      }
    }
  }
}
