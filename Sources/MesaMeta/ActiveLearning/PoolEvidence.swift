import Foundation

/// What a model says about the pool, the input of every ``QueryStrategy``: rows are the pool's
/// rows in the loop's order. Strategies read only this, so they are testable with hand-made
/// values and independent of the model that produced them (``InContextActiveLearner`` fills it
/// from Mesa's tabular in-context predictors).
public struct PoolEvidence {
    /// A look-ahead: for each hypothesis (a pool row and a class index), the class probabilities
    /// of the pool rows `evaluated` after adding that row with that class to the labelled set,
    /// `[hypotheses][evaluated][classes]`.
    public typealias LookAhead = (_ hypotheses: [TabularClassifier.Hypothesis], _ evaluated: [Int]) throws -> [[[Float]]]

    /// The number of pool rows.
    public var rowCount: Int
    /// Classification: each row's class probabilities, `[rows][classes]` (empty for regression).
    public var probabilities: [[Float]]
    /// Classification: each ensemble member's, `[members][rows][classes]` (query by committee).
    public var memberProbabilities: [[[Float]]]?
    /// Regression: each row's predictive variance.
    public var variances: [Double]?
    /// The rows' encoded features, row-major `[rows, width]` (density, batch diversity).
    public var features: [Float]?
    /// Features per row in ``features``.
    public var width: Int
    /// The look-ahead of expected error reduction.
    public var lookAhead: LookAhead?
    /// The learned policy's score of each row (``LearnedQueryPolicy``).
    public var policyScores: [Double]?

    /// Classification evidence.
    public init(probabilities: [[Float]], memberProbabilities: [[[Float]]]? = nil, features: [Float]? = nil, width: Int = 0,
                lookAhead: LookAhead? = nil) {
        rowCount = probabilities.count
        self.probabilities = probabilities
        self.memberProbabilities = memberProbabilities
        self.features = features
        self.width = width
        self.lookAhead = lookAhead
    }

    /// Regression evidence.
    public init(variances: [Double], features: [Float]? = nil, width: Int = 0) {
        rowCount = variances.count
        probabilities = []
        self.variances = variances
        self.features = features
        self.width = width
    }

    /// Whether the evidence is a regression model's.
    public var isRegression: Bool { variances != nil }
}
