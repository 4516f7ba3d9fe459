/// Minimises a smooth function of a few variables inside a box `lower ≤ x ≤ upper` (bounds may be
/// infinite) from its value and gradient: projected L-BFGS, Mesa's one L-BFGS, behind the Gaussian
/// process's hyperparameter fit, the refinement of acquisition maxima, the estimated minima of
/// sampled test functions and (without bounds) the logistic-regression baselines.
///
/// Each iteration fixes the variables that sit on a bound with the gradient pushing outwards,
/// takes the L-BFGS direction (two-loop recursion over the last ``memory`` steps, Nocedal &
/// Wright 2006, algorithm 7.4) in the others, and backtracks along the projected path
/// `P(x + t d)` until the Armijo condition `f(x_new) ≤ f(x) + 10⁻⁴ ∇f · (x_new − x)` holds. It is
/// a simpler relative of L-BFGS-B (Byrd et al. 1995): no generalised Cauchy point, which matters
/// little for the small, mostly interior problems it serves.
///
/// It stops when the projected gradient's largest entry falls below ``gradientTolerance``, when
/// an accepted step lowers `f` by less than ``relativeTolerance`` `· max(1, |f|)`, when no step
/// is accepted, or after ``maximumIterations``. Non-finite values count as failed steps.
public struct BoxConstrainedMinimizer: Sendable {
    /// The number of past steps the inverse-Hessian estimate keeps.
    public var memory: Int
    /// The largest number of iterations.
    public var maximumIterations: Int
    /// The projected-gradient tolerance (largest entry).
    public var gradientTolerance: Double
    /// The relative decrease below which an iteration counts as converged.
    public var relativeTolerance: Double

    /// Creates a minimiser.
    public init(memory: Int = 10, maximumIterations: Int = 100, gradientTolerance: Double = 1e-6, relativeTolerance: Double = 1e-9) {
        self.memory = memory
        self.maximumIterations = maximumIterations
        self.gradientTolerance = gradientTolerance
        self.relativeTolerance = relativeTolerance
    }

    /// The outcome of a minimisation.
    public struct Result: Sendable {
        /// The best point found (inside the box).
        public var point: [Double]
        /// The function's value there.
        public var value: Double
        /// The iterations taken.
        public var iterations: Int
    }

    /// Minimises `objective` (returning `f(x)` and `∇f(x)`) from `start` (clamped into the box).
    public func minimize(from start: [Double], lower: [Double], upper: [Double],
                         objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        let n = start.count
        func project(_ x: [Double]) -> [Double] { (0..<n).map { Swift.min(Swift.max(x[$0], lower[$0]), upper[$0]) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { (0..<n).reduce(0) { $0 + a[$1] * b[$1] } }
        var x = project(start)
        var (f, g) = objective(x)
        guard f.isFinite, g.allSatisfy(\.isFinite) else { return Result(point: x, value: f, iterations: 0) }
        var steps: [(s: [Double], y: [Double], rho: Double)] = []
        var iteration = 0
        while iteration < maximumIterations {
            iteration += 1
            // Variables on a bound with the gradient pointing out of the box stay fixed.
            let free = (0..<n).map { i in !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0)) }
            let projected = (0..<n).map { free[$0] ? g[$0] : 0 }
            guard projected.contains(where: { Swift.abs($0) > gradientTolerance }) else { break }
            // Two-loop recursion on the free variables.
            var q = projected
            var alphas = [Double](repeating: 0, count: steps.count)
            for k in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[k] = steps[k].rho * dot(steps[k].s, q)
                for i in 0..<n where free[i] { q[i] -= alphas[k] * steps[k].y[i] }
            }
            if let last = steps.last {
                let gamma = dot(last.s, last.y) / Swift.max(dot(last.y, last.y), 1e-300)
                q = q.map { $0 * gamma }
            }
            for k in 0..<steps.count {
                let beta = steps[k].rho * dot(steps[k].y, q)
                for i in 0..<n where free[i] { q[i] += (alphas[k] - beta) * steps[k].s[i] }
            }
            var direction = (0..<n).map { free[$0] ? -q[$0] : 0 }
            if dot(direction, g) >= 0 {
                direction = projected.map { -$0 }
                steps.removeAll()
            }
            var t = 1.0
            if steps.isEmpty {
                let largest = direction.map(Swift.abs).max() ?? 1
                t = Swift.min(1, 1 / Swift.max(largest, 1e-300))
            }
            var accepted: (x: [Double], f: Double, g: [Double])?
            for _ in 0..<40 {
                let candidate = project((0..<n).map { x[$0] + t * direction[$0] })
                let move = (0..<n).map { candidate[$0] - x[$0] }
                guard move.contains(where: { $0 != 0 }) else { break }
                let (fc, gc) = objective(candidate)
                if fc.isFinite, gc.allSatisfy(\.isFinite), fc <= f + 1e-4 * dot(g, move) {
                    accepted = (candidate, fc, gc)
                    break
                }
                t *= 0.5
            }
            guard let next = accepted else { break }
            let s = (0..<n).map { next.x[$0] - x[$0] }, y = (0..<n).map { next.g[$0] - g[$0] }
            let sy = dot(s, y)
            if sy > 1e-12 * Swift.max(dot(y, y), 1e-300).squareRoot() * Swift.max(dot(s, s), 1e-300).squareRoot() {
                steps.append((s, y, 1 / sy))
                if steps.count > memory { steps.removeFirst() }
            }
            let decrease = f - next.f
            (x, f, g) = next
            if decrease <= relativeTolerance * Swift.max(1, Swift.abs(f)) { break }
        }
        return Result(point: x, value: f, iterations: iteration)
    }
}
