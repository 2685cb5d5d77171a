package dev.cifar.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import dev.cifar.onnx.proto.OnnxModel.AttributeProto;
import dev.cifar.onnx.proto.OnnxModel.GraphProto;
import dev.cifar.onnx.proto.OnnxModel.ModelProto;
import dev.cifar.onnx.proto.OnnxModel.NodeProto;
import dev.cifar.onnx.proto.OnnxModel.OperatorSetIdProto;
import dev.cifar.onnx.proto.OnnxModel.StringStringEntryProto;
import dev.cifar.onnx.proto.OnnxModel.TensorProto;
import dev.cifar.onnx.proto.OnnxModel.TensorShapeProto;
import dev.cifar.onnx.proto.OnnxModel.TypeProto;
import dev.cifar.onnx.proto.OnnxModel.ValueInfoProto;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds one ONNX graph, node by node, in the default operator set {@value #OPSET}: each method
 * adds what it names and returns the name of the value it computes, so that a network writes its
 * forward pass as it computes it, e.g. {@code g.relu(g.conv(x, layer))}. Trained parameters become
 * float initializers; every value gets a fresh name.
 */
public final class OnnxGraph {

  /** The version of the default ONNX operator set the graphs use. */
  public static final int OPSET = 17;

  /** The ONNX IR version of the models written (the one that came with operator set 17). */
  public static final int IR_VERSION = 8;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int values;

  /**
   * Starts a graph.
   *
   * @param name the graph's name
   */
  public OnnxGraph(String name) {
    graph.setName(name);
  }

  /**
   * Declares an input of the graph.
   *
   * @param name its name
   * @param type its element type
   * @param dims its dimensions: a {@link Long} for a fixed one, a {@link String} for a named one
   * @return the name
   */
  public String input(String name, TensorProto.DataType type, Object... dims) {
    graph.addInput(value(name, type, dims));
    return name;
  }

  /**
   * Declares a value as an output of the graph, under its own name.
   *
   * @param value the value
   * @param name the output's name
   * @param type its element type
   * @param dims its dimensions, as for {@link #input}
   */
  public void output(String value, String name, TensorProto.DataType type, Object... dims) {
    graph.addNode(
        NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(value).addOutput(name));
    graph.addOutput(value(name, type, dims));
  }

  /**
   * Adds float constants.
   *
   * @param hint a name to start the constant's name with
   * @param data the values, row-major
   * @param dims their shape
   * @return the constant's name
   */
  public String constant(String hint, float[] data, long... dims) {
    String name = fresh(hint);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addAllDims(Arrays.stream(dims).boxed().toList());
    for (float f : data) {
      t.addFloatData(f);
    }
    graph.addInitializer(t);
    return name;
  }

  /**
   * Adds 64-bit integer constants (the shapes, axes and indices operators take as inputs).
   *
   * @param hint a name to start the constant's name with
   * @param data the values, a 1-d tensor
   * @return the constant's name
   */
  public String ints(String hint, long... data) {
    String name = fresh(hint);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(data.length)
            .addAllInt64Data(Arrays.stream(data).boxed().toList()));
    return name;
  }

  /**
   * Adds a trained parameter as a constant.
   *
   * @param hint a name to start the constant's name with
   * @param parameter the parameter, with its array
   * @return the constant's name
   */
  public String parameter(String hint, Parameter parameter) {
    NDArray array = parameter.getArray();
    return constant(hint, array.toFloatArray(), array.getShape().getShape());
  }

  /**
   * Adds a node of one output.
   *
   * @param op the operator, e.g. {@code Conv}
   * @param inputs its inputs, in the operator's order
   * @param attributes its attributes
   * @return the output's name
   */
  public String node(String op, List<String> inputs, AttributeProto... attributes) {
    String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType(op)
            .setName(out)
            .addAllInput(inputs)
            .addOutput(out)
            .addAllAttribute(Arrays.asList(attributes)));
    return out;
  }

  /**
   * A convolution layer with its trained weight and bias, stride, padding, dilation and groups.
   *
   * @param x the input
   * @param layer a DJL convolution block
   * @return the output
   */
  public String conv(String x, Block layer) {
    Convolution c = (Convolution) layer;
    Map<String, Parameter> p = parameters(layer);
    String weight = parameter("conv_weight", p.get("weight"));
    List<String> inputs =
        c.isIncludeBias()
            ? List.of(x, weight, parameter("conv_bias", p.get("bias")))
            : List.of(x, weight);
    long[] pad = c.getPadding().getShape();
    long[] pads = new long[pad.length * 2];
    for (int i = 0; i < pad.length; i++) {
      pads[i] = pad[i];
      pads[i + pad.length] = pad[i];
    }
    return node(
        "Conv",
        inputs,
        intList("kernel_shape", c.getKernelShape().getShape()),
        intList("strides", c.getStride().getShape()),
        intList("pads", pads),
        intList("dilations", c.getDilation().getShape()),
        attribute("group", c.getGroups()));
  }

  /**
   * A linear layer, {@code x W^T + b}, with its trained weight (and bias, when it has one).
   *
   * @param x the input, {@code [N, in]}
   * @param layer a DJL linear block
   * @return the output, {@code [N, out]}
   */
  public String linear(String x, Block layer) {
    Map<String, Parameter> p = parameters(layer);
    String weight = parameter("linear_weight", p.get("weight"));
    List<String> inputs =
        p.containsKey("bias")
            ? List.of(x, weight, parameter("linear_bias", p.get("bias")))
            : List.of(x, weight);
    return node("Gemm", inputs, attribute("transB", 1));
  }

  /**
   * Batch normalisation in inference mode, with the layer's trained scale, shift and running
   * statistics: {@code (x - mean) / sqrt(var + epsilon) * gamma + beta} per channel.
   *
   * @param x the input
   * @param layer a DJL batch-norm block
   * @param epsilon the layer's epsilon, as the network built it
   * @return the output
   */
  public String batchNorm(String x, Block layer, float epsilon) {
    Map<Parameter.Type, Parameter> p = new java.util.EnumMap<>(Parameter.Type.class);
    layer.getDirectParameters().values().forEach(q -> p.put(q.getType(), q));
    return node(
        "BatchNormalization",
        List.of(
            x,
            parameter("bn_gamma", p.get(Parameter.Type.GAMMA)),
            parameter("bn_beta", p.get(Parameter.Type.BETA)),
            parameter("bn_mean", p.get(Parameter.Type.RUNNING_MEAN)),
            parameter("bn_var", p.get(Parameter.Type.RUNNING_VAR))),
        AttributeProto.newBuilder()
            .setName("epsilon")
            .setType(AttributeProto.AttributeType.FLOAT)
            .setF(epsilon)
            .build());
  }

  /**
   * GELU, exactly (with the error function, as PyTorch's default): {@code x/2 (1 + erf(x/sqrt 2))}.
   *
   * @param x the input
   * @return the output
   */
  public String gelu(String x) {
    String erf =
        node(
            "Erf",
            List.of(
                node("Div", List.of(x, constant("sqrt2", new float[] {(float) Math.sqrt(2)})))));
    String onePlus = node("Add", List.of(erf, constant("one", new float[] {1f})));
    return node(
        "Mul", List.of(node("Mul", List.of(x, onePlus)), constant("half", new float[] {0.5f})));
  }

  /**
   * Multiplies by a constant.
   *
   * @param x the input
   * @param factor the factor
   * @return the output
   */
  public String scale(String x, float factor) {
    return node("Mul", List.of(x, constant("factor", new float[] {factor})));
  }

  /**
   * Adds two values of the same shape.
   *
   * @param a one
   * @param b the other
   * @return the sum
   */
  public String add(String a, String b) {
    return node("Add", List.of(a, b));
  }

  /**
   * The mean over each channel's plane, flattened: {@code [N, C, H, W]} to {@code [N, C]}.
   *
   * @param x the input
   * @return the output
   */
  public String globalAveragePool(String x) {
    return flatten(node("GlobalAveragePool", List.of(x)));
  }

  /**
   * ReLU.
   *
   * @param x the input
   * @return the output
   */
  public String relu(String x) {
    return node("Relu", List.of(x));
  }

  /**
   * Max pooling without padding.
   *
   * @param x the input
   * @param kernel the window's side
   * @param stride the step
   * @return the output
   */
  public String maxPool(String x, long kernel, long stride) {
    return node(
        "MaxPool",
        List.of(x),
        intList("kernel_shape", kernel, kernel),
        intList("strides", stride, stride),
        intList("pads", 0, 0, 0, 0));
  }

  /**
   * Flattens all but the batch dimension.
   *
   * @param x the input
   * @return {@code [N, rest]}
   */
  public String flatten(String x) {
    return node("Flatten", List.of(x), attribute("axis", 1));
  }

  /**
   * Takes {@code [start, end)} along one axis with a step (negative: backwards).
   *
   * @param x the input
   * @param axis the axis
   * @param start the first index (negative: from the end)
   * @param end the index to stop before ({@link Long#MIN_VALUE}: through the first, backwards)
   * @param step the step
   * @return the slice
   */
  public String slice(String x, long axis, long start, long end, long step) {
    return node(
        "Slice",
        List.of(
            x, ints("starts", start), ints("ends", end), ints("axes", axis), ints("steps", step)));
  }

  /**
   * Joins values along an axis.
   *
   * @param axis the axis
   * @param inputs the values, in order
   * @return the joined value
   */
  public String concat(long axis, List<String> inputs) {
    return node("Concat", inputs, attribute("axis", axis));
  }

  /**
   * An integer attribute.
   *
   * @param name its name
   * @param value its value
   * @return the attribute
   */
  public static AttributeProto attribute(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  /**
   * An attribute of integers.
   *
   * @param name its name
   * @param values its values
   * @return the attribute
   */
  public static AttributeProto intList(String name, long... values) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INTS)
        .addAllInts(Arrays.stream(values).boxed().toList())
        .build();
  }

  /**
   * Wraps the graph in a model.
   *
   * @param producerVersion the version of the software that wrote it
   * @param docString what the model is
   * @param metadata the model's metadata properties, in order
   * @return the model
   */
  public ModelProto model(String producerVersion, String docString, Map<String, String> metadata) {
    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("cifar")
            .setProducerVersion(producerVersion)
            .setDocString(docString)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph);
    metadata.forEach(
        (k, v) ->
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  private String fresh(String hint) {
    return hint + "_" + values++;
  }

  private static Map<String, Parameter> parameters(Block layer) {
    return layer.getDirectParameters().toMap();
  }

  private static ValueInfoProto value(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      shape.addDim(
          d instanceof String param
              ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
              : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }
}
