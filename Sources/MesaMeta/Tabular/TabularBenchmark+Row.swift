import Foundation

extension TabularBenchmark {
    /// One split of one dataset in a ``TabularBenchmark``: the dataset's description and every
    /// method's scores on the split.
    public struct Row: Codable, Sendable, Equatable {
        /// The dataset's name (its file name without `.csv`).
        public var dataset: String
        /// Classification or regression.
        public var kind: TabularTaskKind
        /// Rows of the whole table.
        public var rows: Int
        /// Feature columns.
        public var features: Int
        /// Distinct classes (0 for regression).
        public var classes: Int
        /// The split's index, also its seed.
        public var split: Int
        /// How Mesa's predictor ran (``TabularClassifier/mode`` or ``TabularRegressor/mode``).
        public var mode: String
        /// Mesa's and the baselines' scores on the split.
        public var scores: [TabularScores]

        /// Creates a row.
        public init(dataset: String, kind: TabularTaskKind, rows: Int, features: Int, classes: Int, split: Int, mode: String, scores: [TabularScores]) {
            self.dataset = dataset
            self.kind = kind
            self.rows = rows
            self.features = features
            self.classes = classes
            self.split = split
            self.mode = mode
            self.scores = scores
        }
    }
}
