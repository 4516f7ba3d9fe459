import Foundation
import MesaCore

extension TabularSample {
    /// The table as two CSV texts in the form `mesa predict` reads: a header `x1,…,xk,target`,
    /// then the training rows (`train`) or the other rows (`test`, with their targets too, for
    /// scoring). Features are the encoded values the model reads (missing cells as 0 beside an
    /// indicator column); classification targets are class indices `0…K−1`, regression targets
    /// standardised on the training rows.
    public func csv() -> (train: String, test: String) {
        let header = ((0..<featureCount).map { "x\($0 + 1)" } + ["target"]).joined(separator: ",") + "\n"
        func rows(_ range: Range<Int>) -> String {
            range.map { i in
                let cells = (0..<featureCount).map { j in String(features[i * featureCount + j]) }
                let target = classCount > 0 ? String(Int(targets[i])) : String(targets[i])
                return (cells + [target]).joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        }
        return (header + rows(0..<trainCount), header + rows(trainCount..<rowCount))
    }

    /// Writes each table's ``csv()`` to `folder/table-NNNN/train.csv` and `test.csv`, and a
    /// summary `folder/tables.csv` (`table,rows,train_rows,features,classes`); creates `folder`.
    ///
    /// - Throws: ``TabularError/invalidOutput(_:)`` when `folder` exists and is not an empty
    ///   folder (nothing is overwritten), or a file system error.
    public static func write(_ samples: [TabularSample], to folder: URL) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue, try manager.contentsOfDirectory(atPath: folder.path).isEmpty else {
                throw TabularError.invalidOutput("\(folder.path) exists and is not an empty folder; prior tables are written to a new or empty one")
            }
        }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        var summary = "table,rows,train_rows,features,classes\n"
        for (i, sample) in samples.enumerated() {
            let name = String(format: "table-%04d", i)
            let table = folder.appendingPathComponent(name)
            try manager.createDirectory(at: table, withIntermediateDirectories: true)
            let (train, test) = sample.csv()
            try train.write(to: table.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
            try test.write(to: table.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
            summary += "\(name),\(sample.rowCount),\(sample.trainCount),\(sample.featureCount),\(sample.classCount)\n"
        }
        try summary.write(to: folder.appendingPathComponent("tables.csv"), atomically: true, encoding: .utf8)
    }
}
