import MesaCore

/// The reference workloads (`../shared/bench/README.md`), named as in the reference.
public enum BenchmarkWorkload: String, ConfigurationChoice {
    /// n×n matrix products, n = 64…1024.
    case matmul
    /// A training step of a 4-layer, width-128 Transformer encoder.
    case encoderTrain = "encoder-train"
    /// A training step of an 8-layer, width-256 Transformer encoder.
    case encoderTrainLarge = "encoder-train-large"
    /// A forward pass of the `encoder-train` model at batch 1 and 64.
    case encoderInfer = "encoder-infer"
    /// A training step of Garg et al.'s in-context linear regression.
    case inContextLinearTrain = "icl-linear-train"
    /// A MAML meta-step on sinusoids (loop or batched, second or first order).
    case mamlSine = "maml-sine"
}
