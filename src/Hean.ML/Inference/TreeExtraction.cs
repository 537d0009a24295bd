using Microsoft.ML.Trainers.FastTree;

namespace Hean.ML.Inference;

/// <summary>Copies a trained ML.NET tree ensemble (LightGBM or FastTree) into a <see cref="FlatTreeEnsemble"/>.</summary>
public static class TreeExtraction
{
    public static FlatTreeEnsemble Flatten(RegressionTreeEnsemble ensemble, TreeObjective objective, int featureCount, double plattSlope = 0, double plattOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var roots = new List<int>();
        var features = new List<int>();
        var thresholds = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leaves = new List<double>();
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var weight = ensemble.TreeWeights[t];
            var nodeOffset = features.Count;
            var leafOffset = leaves.Count;
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                if (tree.CategoricalSplitFlags[n])
                    throw new NotSupportedException($"tree {t} node {n} has a categorical split; HEAN's features are numeric and its models have none");
                features.Add(tree.NumericalSplitFeatureIndexes[n]);
                thresholds.Add(tree.NumericalSplitThresholds[n]);
                left.Add(Child(tree.LeftChild[n]));
                right.Add(Child(tree.RightChild[n]));
            }
            foreach (var value in tree.LeafValues) leaves.Add(weight == 1.0 ? value : weight * value);
            roots.Add(tree.NumberOfNodes == 0 ? ~leafOffset : nodeOffset);

            int Child(int child) => child >= 0 ? child + nodeOffset : ~(~child + leafOffset);
        }
        return new FlatTreeEnsemble(objective, featureCount, ensemble.Bias, roots.ToArray(), features.ToArray(), thresholds.ToArray(),
            left.ToArray(), right.ToArray(), leaves.ToArray(), plattSlope, plattOffset);
    }
}
