import MesaCore

/// A module that behaves differently while training and while evaluating (``Dropout``).
public protocol TrainingModeSettable: Module {
    /// Whether the module is in training mode.
    var isTraining: Bool { get set }
}

extension Module {
    /// Puts this module and every module below it into training (`true`) or evaluation
    /// (`false`) mode, like PyTorch's `module.train()` / `module.eval()`.
    ///
    /// Only modules conforming to ``TrainingModeSettable`` are affected; the others behave the
    /// same in both modes.
    public func setTraining(_ training: Bool) {
        for module in allModules {
            if let settable = module as? any TrainingModeSettable { settable.isTraining = training }
        }
    }
}
