using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hean.ML.Inference;

/// <summary>What the ensemble's summed output means.</summary>
public enum TreeObjective
{
    /// <summary>The output is the predicted forward log return.</summary>
    Regression,

    /// <summary>The output is a margin; P(up) = 1 / (1 + exp(PlattSlope · output + PlattOffset)) (ML.NET's Platt calibrator).</summary>
    Binary,
}

/// <summary>
/// A boosted tree ensemble in flat arrays, evaluated directly: no ML.NET, no allocation, thread-safe
/// (read-only). Nodes of all trees share one set of arrays; a child index ≥ 0 is a node, a negative
/// one is <c>~leaf</c>. A node sends the input left when <c>input[feature] ≤ threshold</c> in single
/// precision — ML.NET's rule — with inputs encoded by <see cref="ModelInput"/>. The output is
/// <see cref="Bias"/> plus the sum of the reached leaves (tree weights are folded into the leaves),
/// rounded to single precision like ML.NET's score.
/// </summary>
public sealed class FlatTreeEnsemble
{
    private readonly int[] _roots;
    private readonly int[] _features;
    private readonly float[] _thresholds;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leaves;
    private readonly Node[] _nodes;

    public FlatTreeEnsemble(TreeObjective objective, int featureCount, double bias, int[] roots, int[] features, float[] thresholds,
        int[] left, int[] right, double[] leaves, double plattSlope = 0, double plattOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(leaves);
        var nodes = features.Length;
        if (thresholds.Length != nodes || left.Length != nodes || right.Length != nodes)
            throw new ArgumentException("features, thresholds, left and right must have one entry per node");
        foreach (var f in features)
            if (f < 0 || f >= featureCount) throw new ArgumentException($"a node splits on feature {f}, outside 0..{featureCount - 1}");
        foreach (var child in roots.Concat(left).Concat(right))
            if (child >= nodes || (child < 0 && ~child >= leaves.Length))
                throw new ArgumentException($"a child index {child} points outside the {nodes} nodes and {leaves.Length} leaves");
        if (objective == TreeObjective.Binary && !(double.IsFinite(plattSlope) && double.IsFinite(plattOffset)))
            throw new ArgumentException("a binary ensemble needs a finite Platt slope and offset");
        Objective = objective;
        FeatureCount = featureCount;
        Bias = bias;
        PlattSlope = plattSlope;
        PlattOffset = plattOffset;
        _roots = roots;
        _features = features;
        _thresholds = thresholds;
        _left = left;
        _right = right;
        _leaves = leaves;
        _nodes = new Node[nodes];
        for (var i = 0; i < nodes; i++) _nodes[i] = new Node(features[i], thresholds[i], left[i], right[i]);
    }

    public TreeObjective Objective { get; }
    public int FeatureCount { get; }
    public double Bias { get; }
    public double PlattSlope { get; }
    public double PlattOffset { get; }
    public int TreeCount => _roots.Length;
    public int NodeCount => _features.Length;

    public IReadOnlyList<int> Roots => _roots;
    public IReadOnlyList<int> Features => _features;
    public IReadOnlyList<float> Thresholds => _thresholds;
    public IReadOnlyList<int> Left => _left;
    public IReadOnlyList<int> Right => _right;
    public IReadOnlyList<double> Leaves => _leaves;

    /// <summary>The ensemble's output (ML.NET's Score) for one feature vector in schema order.</summary>
    public float Output(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"the model takes {FeatureCount} features, got {features.Length}", nameof(features));
        // encode once (≤ 256 features on the stack, no allocation), then walk nodes packed 16 bytes each
        Span<float> input = features.Length <= 256 ? stackalloc float[features.Length] : new float[features.Length];
        for (var i = 0; i < features.Length; i++) input[i] = ModelInput.Encode(features[i]);
        ref var x = ref MemoryMarshal.GetReference(input);
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        var sum = 0.0;
        foreach (var root in _roots)
        {
            var node = root;
            while (node >= 0)
            {
                // indexes were range-checked in the constructor
                ref readonly var n = ref Unsafe.Add(ref nodes, node);
                node = Unsafe.Add(ref x, n.Feature) <= n.Threshold ? n.Left : n.Right;
            }
            sum += Unsafe.Add(ref leaves, ~node);
        }
        return (float)(sum + Bias);
    }

    /// <summary>P(up) from an output, as ML.NET's Platt calibrator computes it.</summary>
    public float Probability(float output) => (float)(1.0 / (1.0 + Math.Exp(PlattSlope * output + PlattOffset)));

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right);
}
