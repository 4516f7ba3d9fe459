import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class FashionMNISTTests: XCTestCase {
    /// `gzip.compress` of an IDX file with dimensions [2, 2, 3] and bytes 0…11 (Python, mtime 0).
    static let gzippedIDX: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60, 0x66, 0x60, 0x60, 0x60, 0x82, 0x62,
        0x66, 0x06, 0x46, 0x26, 0x66, 0x16, 0x56, 0x36, 0x76, 0x0e, 0x4e, 0x2e, 0x6e, 0x00, 0x78, 0x1e, 0x23, 0x84, 0x1c, 0x00,
        0x00, 0x00,
    ]

    func testReadsAGzippedIDXFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-idx-\(UUID().uuidString).gz")
        try Data(Self.gzippedIDX).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let (dimensions, bytes) = try IDXFile.read(url)
        XCTAssertEqual(dimensions, [2, 2, 3])
        XCTAssertEqual(bytes, Array(0..<12))
    }

    func testBadFilesAreClearErrors() {
        XCTAssertThrowsError(try IDXFile.parse(Data([1, 2, 3, 4]), source: "x")) { error in
            XCTAssertTrue("\(error)".contains("not an IDX file"), "\(error)")
        }
        XCTAssertThrowsError(try IDXFile.parse(Data([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), source: "x")) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        XCTAssertThrowsError(try IDXFile.gunzip(Data(Self.gzippedIDX.prefix(20)), source: "cut.gz")) { error in
            XCTAssertTrue("\(error)".contains("cut.gz"), "\(error)")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-no-fmnist-\(UUID().uuidString)")
        XCTAssertThrowsError(try FashionMNIST.load(.train, from: empty)) { error in
            XCTAssertTrue("\(error)".contains("apt-get install dataset-fashion-mnist"), "\(error)")
        }
    }

    /// The real files, when Debian's package is installed (scripts/setup installs it).
    func testLoadsTheInstalledTestSplit() throws {
        guard FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path) else {
            throw XCTSkip("dataset-fashion-mnist is not installed (scripts/setup installs it)")
        }
        let dataset = try FashionMNIST.load(.test)
        XCTAssertEqual(dataset.count, 10_000)
        XCTAssertEqual(dataset.featureCount, 784)
        XCTAssertEqual(dataset.rowsByClass.map(\.count), Array(repeating: 1000, count: 10))
        XCTAssertEqual(dataset.features.min(), 0)
        XCTAssertEqual(dataset.features.max(), 1)
    }
}
