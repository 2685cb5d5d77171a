package dev.cifar.function;

import dev.cifar.classifier.Prediction;
import java.util.List;

/** The answer for one image. */
public class PredictResponse {

  /** Name of the most probable class. */
  public String label;

  /** Index of the most probable class. */
  public int index;

  /** Its probability. */
  public float probability;

  /** The most probable classes, most probable first. */
  public List<Scored> top;

  /** For JSON binding. */
  public PredictResponse() {}

  static PredictResponse of(Prediction p) {
    PredictResponse r = new PredictResponse();
    r.label = p.label();
    r.index = p.index();
    r.probability = p.probability();
    r.top = p.top().stream().map(c -> new Scored(c.label(), c.probability())).toList();
    return r;
  }

  /** A class and its probability. */
  public static class Scored {
    /** Class name. */
    public String label;

    /** Probability. */
    public float probability;

    /** For JSON binding. */
    public Scored() {}

    Scored(String label, float probability) {
      this.label = label;
      this.probability = probability;
    }
  }
}
