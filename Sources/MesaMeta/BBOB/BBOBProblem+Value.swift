import Foundation

extension BBOBProblem {
    /// `f(x)` for a point of `dimension` coordinates (COCO's definitions; see the type).
    public func value(at x: [Double]) -> Double {
        precondition(x.count == dimension, "BBOBProblem.value(at:): \(x.count) coordinates for a \(dimension)-dimensional problem")
        typealias T = BBOBTransformation
        let d = dimension
        let last = Double(d) - 1
        func shifted() -> [Double] { (0..<d).map { x[$0] - shift[$0] } }
        func rastrigin(_ z: [Double]) -> Double {
            var cosines = 0.0, squares = 0.0
            for value in z { cosines += cos(2 * .pi * value); squares += value * value }
            return 10 * (Double(d) - cosines) + squares
        }
        func rosenbrock(_ z: [Double]) -> Double {
            var s1 = 0.0, s2 = 0.0
            for i in 0..<(d - 1) {
                let a = z[i] * z[i] - z[i + 1], b = z[i] - 1
                s1 += a * a; s2 += b * b
            }
            return 100 * s1 + s2
        }
        func ellipsoid(_ z: [Double]) -> Double {
            var total = 0.0
            for i in 0..<d { total += pow(1e6, Double(i) / last) * z[i] * z[i] }
            return total
        }
        let value: Double
        switch function {
        case .sphere:
            value = shifted().reduce(0) { $0 + $1 * $1 }
        case .separableEllipsoid:
            value = ellipsoid(shifted().map(T.oscillate))
        case .separableRastrigin:
            var z = shifted().map(T.oscillate)
            T.asymmetric(&z, beta: 0.2)
            let condition = T.conditioning(10, dimension: d)
            value = rastrigin((0..<d).map { condition[$0] * z[$0] })
        case .buecheRastrigin:
            var z = shifted().map(T.oscillate)
            for i in 0..<d {
                var factor = pow(10.0.squareRoot(), Double(i) / last)
                if z[i] > 0 && i % 2 == 0 { factor *= 10 }
                z[i] *= factor
            }
            value = rastrigin(z) + 100 * T.penalty(x)
        case .linearSlope:
            var total = 0.0
            for i in 0..<d {
                // Beyond the boundary (xᵢ x_opt,ᵢ ≥ 25) the slope is flat: zᵢ = x_opt,ᵢ.
                let z = x[i] * optimum[i] < 25 ? x[i] : optimum[i]
                total += 5 * abs(scales[i]) - scales[i] * z
            }
            value = total
        case .attractiveSector:
            let z = T.multiply(linear, shifted())
            var total = 0.0
            for i in 0..<d { total += (shift[i] * z[i] > 0 ? 1e4 : 1) * z[i] * z[i] }
            value = pow(T.oscillate(total), 0.9)
        case .stepEllipsoid:
            var z = T.multiply(linear, shifted())
            let first = z[0]
            for i in 0..<d { z[i] = abs(z[i]) > 0.5 ? T.round(z[i]) : T.round(10 * z[i]) / 10 }
            let rotated = T.multiply(rotation, z)
            var total = 0.0
            for i in 0..<d { total += pow(100, Double(i) / last) * rotated[i] * rotated[i] }
            value = 0.1 * Swift.max(abs(first) * 1e-4, total) + T.penalty(x)
        case .rosenbrock:
            value = rosenbrock(shifted().map { scales[0] * $0 + 1 })
        case .rotatedRosenbrock:
            value = rosenbrock(T.multiply(linear, x).map { $0 + 0.5 })
        case .ellipsoid:
            value = ellipsoid(T.multiply(rotation, shifted()).map(T.oscillate))
        case .discus:
            let z = T.multiply(rotation, shifted()).map(T.oscillate)
            value = 1e6 * z[0] * z[0] + z.dropFirst().reduce(0) { $0 + $1 * $1 }
        case .bentCigar:
            var z = T.multiply(rotation, shifted())
            T.asymmetric(&z, beta: 0.5)
            z = T.multiply(rotation, z)
            value = z[0] * z[0] + 1e6 * z.dropFirst().reduce(0) { $0 + $1 * $1 }
        case .sharpRidge:
            let z = T.multiply(linear, shifted())
            value = z[0] * z[0] + 100 * z.dropFirst().reduce(0) { $0 + $1 * $1 }.squareRoot()
        case .differentPowers:
            let z = T.multiply(rotation, shifted())
            var total = 0.0
            for i in 0..<d { total += pow(abs(z[i]), 2 + 4 * Double(i) / last) }
            value = total.squareRoot()
        case .rastrigin:
            var z = T.multiply(rotation, shifted()).map(T.oscillate)
            T.asymmetric(&z, beta: 0.2)
            value = rastrigin(T.multiply(linear, z))
        case .weierstrass:
            let z = T.multiply(linear, T.multiply(rotation, shifted()).map(T.oscillate))
            var total = 0.0, reference = 0.0
            for k in 0..<12 {
                let a = pow(0.5, Double(k)), b = pow(3, Double(k))
                reference += a * cos(2 * .pi * b * 0.5)
                for i in 0..<d { total += a * cos(2 * .pi * (z[i] + 0.5) * b) }
            }
            value = 10 * pow(total / Double(d) - reference, 3) + 10 / Double(d) * T.penalty(x)
        case .schaffersF7, .illConditionedSchaffersF7:
            var z = T.multiply(rotation, shifted())
            T.asymmetric(&z, beta: 0.5)
            z = T.multiply(linear, z)
            var total = 0.0
            for i in 0..<(d - 1) {
                let s = z[i] * z[i] + z[i + 1] * z[i + 1]
                total += pow(s, 0.25) * (1 + pow(sin(50 * pow(s, 0.1)), 2))
            }
            value = pow(total / last, 2) + 10 * T.penalty(x)
        case .griewankRosenbrock:
            let z = T.multiply(linear, x).map { $0 + 0.5 }
            var total = 0.0
            for i in 0..<(d - 1) {
                let a = z[i] * z[i] - z[i + 1], b = 1 - z[i]
                let s = 100 * a * a + b * b
                total += s / 4000 - cos(s)
            }
            value = 10 + 10 * total / last
        case .schwefel:
            value = schwefel(x)
        case .gallagher101, .gallagher21:
            value = peaks!.value(at: x)
        case .katsuura:
            let z = T.multiply(linear, shifted())
            var product = 1.0
            for i in 0..<d {
                var sum = 0.0
                var power = 2.0
                for _ in 1...32 {
                    sum += abs(power * z[i] - T.round(power * z[i])) / power
                    power *= 2
                }
                product *= 1 + Double(i + 1) * sum
            }
            let n = Double(d)
            value = 10 / n / n * (-1 + pow(product, 10 / pow(n, 1.2))) + T.penalty(x)
        case .lunacekBiRastrigin:
            value = lunacek(x)
        }
        return value + optimalValue
    }

    /// Schwefel's `x sin √|x|` (f20) without `f_opt`, through COCO's chain of transformations:
    /// `x̂ = 2 ±x`, `ẑ`, `z = 100 (Λ¹⁰ (ẑ − 2|x_opt|) + 2|x_opt|)`.
    private func schwefel(_ x: [Double]) -> Double {
        let d = dimension
        let doubled = (0..<d).map { 2 * scales[$0] * x[$0] }
        var z = doubled
        for i in 1..<d { z[i] = doubled[i] + 0.25 * (doubled[i - 1] - 2 * abs(shift[i - 1])) }
        let condition = BBOBTransformation.conditioning(10, dimension: d)
        for i in 0..<d { z[i] = 100 * (condition[i] * (z[i] - 2 * abs(shift[i])) + 2 * abs(shift[i])) }
        var penalty = 0.0, sum = 0.0
        for value in z {
            let excess = abs(value) - 500
            if excess > 0 { penalty += excess * excess }
            sum += value * sin(abs(value).squareRoot())
        }
        return 0.01 * (penalty + 418.9828872724339 - sum / Double(d))
    }

    /// Lunacek's bi-Rastrigin (f24) without `f_opt`: the better of two sphere funnels at `μ₀ = 2.5`
    /// and `μ₁ = −√((μ₀² − 1)/s)`, plus a rotated Rastrigin term and `10⁴ f_pen`.
    private func lunacek(_ x: [Double]) -> Double {
        let d = dimension, n = Double(d)
        let mu0 = 2.5
        let s = 1 - 0.5 / ((n + 20).squareRoot() - 4.1)
        let mu1 = -((mu0 * mu0 - 1) / s).squareRoot()
        let hat = (0..<d).map { 2 * x[$0] * (shift[$0] < 0 ? -1 : 1) }
        let inner = BBOBTransformation.multiply(linear, hat.map { $0 - mu0 })
        let z = BBOBTransformation.multiply(rotation, inner)
        var sum1 = 0.0, sum2 = 0.0, sum3 = 0.0
        for i in 0..<d {
            sum1 += (hat[i] - mu0) * (hat[i] - mu0)
            sum2 += (hat[i] - mu1) * (hat[i] - mu1)
            sum3 += cos(2 * .pi * z[i])
        }
        return Swift.min(sum1, n + s * sum2) + 10 * (n - sum3) + 1e4 * BBOBTransformation.penalty(x)
    }
}
