import Foundation
import MesaCore

/// The data-dependence experiment of Chan et al. 2022 ("Data Distributional Properties Drive
/// Emergent In-Context Learning in Transformers") on Reddy 2024's minimal task
/// (``BurstyClassificationTasks``), sized for a 2-core CPU: one factor at a time around a base
/// run, each run trained by ``EmergenceTrainer`` in its own resumable sub-folder, for several seeds.
///
/// The factors (``Factor``) and Chan et al.'s four claims they test:
/// 1. burstiness (non-bursty `p_B = 0`, then `B = 1, 2, 4`): in-context learning needs bursty sequences;
/// 2. the number of classes `K` and the within-class noise `ε`: many (rarely seen) classes and
///    variable items favour in-context over in-weights learning (the trade-off);
///    label mapping (fixed / per sequence, "dynamic meaning") favours in-context learning;
/// 3. Zipf exponent `α ∈ {0, 0.5, 1, 1.5}`: in-context learning falls and in-weights learning rises
///    with `α`, and the two coexist near `α = 1`;
/// 4. architecture: a Transformer learns in context, an LSTM with as many parameters does not.
public enum EmergenceExperiment {
    /// A knob the experiment varies, one at a time.
    public enum Factor: String, CaseIterable, Sendable {
        /// `B` (x = 0: non-bursty, `p_B = 0`).
        case burstiness
        /// `K`.
        case classes
        /// `α`.
        case zipf
        /// `ε`.
        case noise
        /// x = 0 fixed, 1 per sequence.
        case labels
        /// x = 0 Transformer, 1 LSTM.
        case architecture
    }

    /// One run: a configuration and the factor values it stands for.
    public struct Run: Sendable {
        /// The folder name, e.g. `zipf-1.5-seed0`.
        public var name: String
        /// The seed of the sequences and of the initialisation.
        public var seed: Int
        /// The factors (and their x values) the run belongs to; the base run belongs to all.
        public var memberships: [Factor: Double]
        /// What it trains.
        public var configuration: EmergenceRunConfiguration
    }

    /// The base run: a 2-layer, width-32 Transformer on `K = 256`, `L = 32`, `D = 16`, `N = 8`,
    /// `B = 2`, uniform classes, `ε = 0.1`, fixed labels; batch 32, 1,000 Adam steps (10⁻³,
    /// 100 warm-up steps, cosine decay), evaluated every 100 steps on 512 sequences each.
    public static var standardBase: EmergenceRunConfiguration {
        var training = TrainingConfiguration(steps: 1000, batchSize: 32, pointCount: 9, seed: 0, evaluationInterval: 100,
                                             evaluationPromptCount: 512, checkpointInterval: 250, logInterval: 50)
        training.optimizer.warmUpSteps = 100
        return EmergenceRunConfiguration(name: "base", tasks: BurstyClassificationConfiguration(burstiness: 2),
                                         learner: LearnerConfiguration(architecture: .transformer, modelSize: 32, layerCount: 2, headCount: 2,
                                                                       feedForwardSize: 64, maximumPointCount: 9),
                                         training: training)
    }

    /// The runs for `seeds` seeds around `base`: seeds `s, s + 1, …` with `s = base.training.seed`,
    /// each seeding the class vectors, the initialisation and the data stream.
    ///
    /// - Parameter factors: the factors to vary (default all): the base run and the arms of these
    ///   factors only, the base counted as a member of these factors only (e.g. `[.zipf]`: the base
    ///   and `α ∈ {0, 0.5, 1, 1.5}` minus the base's own `α`).
    public static func runs(base: EmergenceRunConfiguration, seeds: Int, factors: Set<Factor> = Set(Factor.allCases)) throws -> [Run] {
        try base.validate()
        let lstm = try GPICLExperiment.lstmLearner(matching: base.learner, inputDimension: base.tasks.inputDimension,
                                                   classCount: base.tasks.labelCount)
        var runs: [Run] = []
        for index in 0..<seeds {
            // Seeds count up from the base's training seed (0 by default): seed index i uses seed base + i.
            let seed = Int(base.training.seed) + index
            func variant(_ name: String, _ memberships: [Factor: Double], _ change: (inout EmergenceRunConfiguration) -> Void) {
                let memberships = memberships.filter { factors.contains($0.key) }
                guard !memberships.isEmpty else { return }
                var configuration = base
                configuration.name = "\(name)-seed\(seed)"
                configuration.tasks.seed = UInt64(seed)
                configuration.training.seed = UInt64(seed)
                change(&configuration)
                runs.append(Run(name: configuration.name, seed: seed, memberships: memberships, configuration: configuration))
            }
            let t = base.tasks
            var baseMemberships: [Factor: Double] = [
                .burstiness: t.burstyFraction == 0 ? 0 : Double(t.burstiness), .classes: Double(t.classCount), .zipf: t.zipfExponent,
                .noise: t.withinClassNoise, .labels: t.labelMapping == .fixed ? 0 : 1,
                .architecture: base.learner.architecture == .lstm ? 1 : 0,
            ]
            variant("base", baseMemberships) { _ in }
            baseMemberships = [:]
            variant("burstiness-0", [.burstiness: 0]) { $0.tasks.burstyFraction = 0 }
            for b in [1, 2, 4] where b != t.burstiness && t.contextCount % b == 0 {
                variant("burstiness-\(b)", [.burstiness: Double(b)]) { $0.tasks.burstiness = b; $0.tasks.burstyFraction = 1 }
            }
            for k in [64, 1024] where k != t.classCount { variant("classes-\(k)", [.classes: Double(k)]) { $0.tasks.classCount = k } }
            for alpha in [0, 0.5, 1, 1.5] where alpha != t.zipfExponent { variant("zipf-\(alpha)", [.zipf: alpha]) { $0.tasks.zipfExponent = alpha } }
            for noise in [0.1, 0.5] where noise != t.withinClassNoise { variant("noise-\(noise)", [.noise: noise]) { $0.tasks.withinClassNoise = noise } }
            if t.labelMapping == .fixed { variant("labels-perSequence", [.labels: 1]) { $0.tasks.labelMapping = .perSequence } }
            if base.learner.architecture == .transformer { variant("lstm", [.architecture: 1]) { $0.learner = lstm } }
        }
        return runs
    }

    /// The factors named in `text`, comma-separated (e.g. `zipf` or `zipf,burstiness`), or every
    /// factor for `all`.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` naming an unknown factor and the valid ones.
    public static func factors(parsing text: String) throws -> Set<Factor> {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if names == ["all"] { return Set(Factor.allCases) }
        guard !names.isEmpty else {
            throw InContextError.invalidConfiguration("no factor given; valid: \(Factor.allCases.map(\.rawValue).joined(separator: ", ")), or all")
        }
        return Set(try names.map { name in
            guard let factor = Factor(rawValue: name) else {
                throw InContextError.invalidConfiguration("unknown factor '\(name)'; valid: \(Factor.allCases.map(\.rawValue).joined(separator: ", ")), or all")
            }
            return factor
        })
    }

    /// Trains `run` in a sub-folder of `directory` (new, resumed, or left alone when finished) until it finishes or `deadline` passes.
    public static func train(_ run: Run, in directory: URL, deadline: Date? = nil,
                             observer: (TrainingEvent) -> Void = { _ in }) throws -> EmergenceTrainer {
        let folder = directory.appendingPathComponent(run.name)
        let trainer = FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.safetensors").path)
            ? try EmergenceTrainer(resumingFrom: folder)
            : try EmergenceTrainer(configuration: run.configuration, directory: folder)
        guard trainer.configuration == run.configuration else {
            throw InContextError.invalidCheckpoint("\(folder.path) holds a run with another configuration than experiment run '\(run.name)'; move it away or choose another --output")
        }
        if !trainer.isFinished { try trainer.run(deadline: deadline, observer: observer) }
        return trainer
    }

    /// The runs of `runs` already trained to their planned steps in `directory`, with their
    /// trainers (loaded, not trained further), for analysing part of a grid.
    public static func finishedRuns(_ runs: [Run], in directory: URL) throws -> (runs: [Run], trainers: [EmergenceTrainer]) {
        var finished: ([Run], [EmergenceTrainer]) = ([], [])
        for run in runs {
            let folder = directory.appendingPathComponent(run.name)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.safetensors").path) else { continue }
            let trainer = try EmergenceTrainer(resumingFrom: folder)
            guard trainer.configuration == run.configuration else {
                throw InContextError.invalidCheckpoint("\(folder.path) holds a run with another configuration than experiment run '\(run.name)'; move it away or choose another --output")
            }
            if trainer.isFinished {
                finished.0.append(run)
                finished.1.append(trainer)
            }
        }
        return finished
    }

    /// Trains the runs one after another until all are finished or `deadline` passes; returns
    /// the trainers reached, in order.
    public static func trainAll(_ runs: [Run], in directory: URL, deadline: Date? = nil,
                                observer: (_ index: Int, _ event: TrainingEvent) -> Void = { _, _ in }) throws -> [EmergenceTrainer] {
        var trainers: [EmergenceTrainer] = []
        for (index, run) in runs.enumerated() {
            if let deadline, Date() >= deadline { break }
            trainers.append(try train(run, in: directory, deadline: deadline) { observer(index, $0) })
        }
        return trainers
    }
}
