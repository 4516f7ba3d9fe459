import ArgumentParser

/// The workloads `mesa bench` knows, named as in the reference.
enum BenchmarkWorkload: String, CaseIterable, ExpressibleByArgument {
    case matmul
    case encoderTrain = "encoder-train"
    case encoderTrainLarge = "encoder-train-large"
    case encoderInfer = "encoder-infer"
    case inContextLinearTrain = "icl-linear-train"
    case mamlSine = "maml-sine"
}
