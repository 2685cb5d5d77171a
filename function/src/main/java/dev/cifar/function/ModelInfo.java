package dev.cifar.function;

import java.util.List;
import java.util.Map;

/** What the function serves: the artifact's identity and recorded metrics. */
public class ModelInfo {

  /** Network name. */
  public String network;

  /** Network definition version. */
  public int networkVersion;

  /** Class names, by index. */
  public List<String> classes;

  /** The test-time augmentation every answer averages over: none, flip or flip,translate. */
  public String testTimeAugmentation;

  /** SHA-256 of the parameters. */
  public String checksum;

  /** Where the model was loaded from. */
  public String source;

  /** Device it runs on. */
  public String device;

  /** The runtime of its forward passes: {@code pytorch} or {@code onnxruntime}. */
  public String engine;

  /** Dev and test accuracy recorded at training time (absent when not measured). */
  public Map<String, Double> metrics;

  /** The training configuration recorded in the artifact. */
  public Map<String, Object> training;

  /** When the artifact was written. */
  public String createdAt;

  /** DJL and PyTorch versions that trained it. */
  public Map<String, String> versions;
}
