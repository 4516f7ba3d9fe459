import Foundation
import MesaCore
import XCTest
@testable import MesaMeta

/// ``TabularModelFile/load(_:kind:)`` refuses files that would predict nonsense or that another
/// command wrote, and says which.
final class TabularModelFileTests: XCTestCase {
    /// The shipped classifier with `change` applied, written to a temporary file.
    private func alteredClassifier(_ change: (inout SafeTensors) -> Void) throws -> URL {
        var checkpoint = try SafeTensors(contentsOf: try XCTUnwrap(TabularModelFile.shippedURL(for: .classification)))
        change(&checkpoint)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-model-\(UUID().uuidString).safetensors")
        try checkpoint.write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func loadError(_ url: URL) -> String {
        do {
            _ = try TabularModelFile.load(url, kind: .classification)
            return ""
        } catch { return "\(error)" }
    }

    func testTheShippedClassifierLoads() throws {
        let url = try alteredClassifier { _ in }
        XCTAssertEqual(loadError(url), "")
    }

    func testANonFiniteWeightIsRefused() throws {
        let url = try alteredClassifier { checkpoint in
            let name = checkpoint.names.first { $0.hasSuffix("weight") }!
            var scalars = checkpoint[name]!.scalars
            scalars[3] = .nan
            checkpoint[name] = Tensor(shape: checkpoint[name]!.shape, scalars: scalars)
        }
        let message = loadError(url)
        XCTAssertTrue(message.contains("non-finite weight"), message)
        XCTAssertTrue(message.contains("element 3"), message)
    }

    func testAnInfiniteWeightIsRefused() throws {
        let url = try alteredClassifier { checkpoint in
            let name = checkpoint.names.last!
            var scalars = checkpoint[name]!.scalars
            scalars[0] = -.infinity
            checkpoint[name] = Tensor(shape: checkpoint[name]!.shape, scalars: scalars)
        }
        XCTAssertTrue(loadError(url).contains("non-finite weight"))
    }

    func testAnExtraTensorIsRefused() throws {
        let url = try alteredClassifier { $0["stowaway.weight"] = Tensor(shape: [2], scalars: [1, 2]) }
        let message = loadError(url)
        XCTAssertTrue(message.contains("the model does not have"), message)
        XCTAssertTrue(message.contains("stowaway.weight"), message)
    }

    func testOptimizerBuffersOfARunCheckpointAreAccepted() throws {
        let url = try alteredClassifier { $0["optimizer.0.firstMoment"] = Tensor(shape: [2], scalars: [0, 0]) }
        XCTAssertEqual(loadError(url), "")
    }

    func testAMissingTensorIsNamed() throws {
        var removed = ""
        let url = try alteredClassifier { checkpoint in
            removed = checkpoint.names[1]
            checkpoint[removed] = nil
        }
        let message = loadError(url)
        XCTAssertTrue(message.contains("missing"), message)
        XCTAssertTrue(message.contains(removed), message)
    }

    func testACheckpointOfAnotherCommandSaysWhichCommandReadsIt() throws {
        let training = try alteredClassifier { $0.metadata["mesa.format"] = "training-checkpoint-1" }
        let message = loadError(training)
        XCTAssertTrue(message.contains("`mesa train`"), message)
        XCTAssertTrue(message.contains("mesa eval"), message)
        let episodic = try alteredClassifier { $0.metadata["mesa.format"] = "episodic-checkpoint-1" }
        XCTAssertTrue(loadError(episodic).contains("mesa meta-test"))
    }

    func testAForeignSafetensorsFileIsNamedAsSuch() throws {
        let url = try alteredClassifier { $0.metadata = [:] }
        XCTAssertTrue(loadError(url).contains("no mesa.configuration"))
    }

    func testAModelOfTheOtherKindIsRefused() throws {
        let url = try XCTUnwrap(TabularModelFile.shippedURL(for: .regression))
        do {
            _ = try TabularModelFile.load(url, kind: .classification)
            XCTFail("a regression model loaded as a classifier")
        } catch {
            XCTAssertTrue("\(error)".contains("regression model"), "\(error)")
        }
    }
}
