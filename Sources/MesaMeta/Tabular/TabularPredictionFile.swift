import Foundation

/// The CSV files `mesa predict` writes: one row per predicted row, in input order.
///
/// - Classification: `prediction` (the most probable class), then `p_<class>` for every class in
///   ``TabularClassifier/classNames`` order, six decimals.
/// - Regression: `mean`, then the quantiles `q05`, `q25`, … of ``TabularRegressor/quantileLevels``.
///
/// Fields holding a comma, a quote or a line break are quoted (RFC 4180).
public enum TabularPredictionFile {
    /// The classification file's text.
    public static func classification(classNames: [String], probabilities: [[Float]]) -> String {
        var csv = "prediction," + classNames.map { quoted("p_" + $0) }.joined(separator: ",") + "\n"
        for p in probabilities {
            let best = p.indices.max { p[$0] < p[$1] } ?? 0
            csv += quoted(classNames[best]) + "," + p.map { String(format: "%.6f", $0) }.joined(separator: ",") + "\n"
        }
        return csv
    }

    /// The regression file's text.
    public static func regression(_ predictions: [RegressionPrediction]) -> String {
        var csv = "mean," + TabularRegressor.quantileLevels.map { String(format: "q%02d", Int(($0 * 100).rounded())) }.joined(separator: ",") + "\n"
        for p in predictions { csv += ([p.mean] + p.quantiles).map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n" }
        return csv
    }

    /// `field`, quoted when it holds a comma, a quote or a line break.
    public static func quoted(_ field: String) -> String {
        field.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
