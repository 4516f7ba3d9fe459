import CZlib
import Foundation
import MesaCore

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) from its IDX files, as Debian's
/// `dataset-fashion-mnist` package installs them (gzip-compressed, in
/// `/usr/share/datasets/fashion-mnist`). Never downloaded: a missing file is an error that says
/// how to install the package.
///
/// Pixels are scaled to `[0, 1]`; each image is a row of 784 features (28 × 28, row-major).
public enum FashionMNIST {
    /// Where Debian's package puts the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
    /// The ten class names, by label.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Which of the two files.
    public enum Split: String, Sendable {
        /// The 60,000 training images (`train-*`).
        case train
        /// The 10,000 test images (`t10k-*`).
        case test = "t10k"

        /// `"train"` or `"test"`.
        public init?(name: String) {
            switch name {
            case "train": self = .train
            case "test": self = .test
            default: return nil
            }
        }
    }

    /// Loads one split from `directory` (files `<split>-images-idx3-ubyte[.gz]` and `<split>-labels-idx1-ubyte[.gz]`).
    public static func load(_ split: Split, from directory: URL = defaultDirectory) throws -> LabelledDataset {
        let images = try IDXFile.read(try file("\(split.rawValue)-images-idx3-ubyte", in: directory))
        let labels = try IDXFile.read(try file("\(split.rawValue)-labels-idx1-ubyte", in: directory))
        guard images.dimensions.count == 3, labels.dimensions.count == 1, images.dimensions[0] == labels.dimensions[0] else {
            throw MetaLearningError.invalidData("Fashion-MNIST \(split.rawValue): image dimensions \(images.dimensions) do not match label dimensions \(labels.dimensions)")
        }
        let pixels = images.dimensions[1] * images.dimensions[2]
        return try LabelledDataset(features: images.bytes.map { Float($0) / 255 }, labels: labels.bytes.map(Int.init),
                                   featureCount: pixels, classNames: classNames)
    }

    static func file(_ name: String, in directory: URL) throws -> URL {
        for candidate in [name + ".gz", name] {
            let url = directory.appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw MetaLearningError.invalidData("Fashion-MNIST file \(name)(.gz) not found in \(directory.path); install it with `apt-get install dataset-fashion-mnist` (scripts/setup does), or pass the folder that holds the IDX files")
    }
}
