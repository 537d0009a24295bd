using Hean.ML.Training;

namespace Hean.ML.Tests;

public class MetricsTests
{
    [Fact]
    public void Rmse_and_correlations_match_hand_computed_values()
    {
        Assert.Equal(Math.Sqrt((1 + 4 + 0) / 3.0), Metrics.Rmse([1, 2, 3], [2, 4, 3]), 12);
        Assert.Equal(1.0, Metrics.Pearson([1, 2, 3, 4], [10, 20, 30, 40]), 12);
        Assert.Equal(-1.0, Metrics.Pearson([1, 2, 3, 4], [4, 3, 2, 1]), 12);
        // monotonic but not linear: rank correlation 1, linear correlation below 1
        double[] x = [1, 2, 3, 4, 5], y = [1, 2, 4, 8, 100];
        Assert.Equal(1.0, Metrics.Spearman(x, y), 12);
        Assert.True(Metrics.Pearson(x, y) < 0.9);
        // x = [1,2,3], y = [1,3,2]: Pearson = 0.5
        Assert.Equal(0.5, Metrics.Pearson([1, 2, 3], [1, 3, 2]), 12);
        Assert.True(double.IsNaN(Metrics.Pearson([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(Metrics.Rmse([], [])));
        Assert.Throws<ArgumentException>(() => Metrics.Rmse([1], [1, 2]));
    }

    [Fact]
    public void Ranks_average_ties()
    {
        Assert.Equal([1.0, 2.5, 2.5, 4.0], Metrics.Ranks([10, 20, 20, 30]));
        Assert.Equal([3.0, 1.0, 2.0], Metrics.Ranks([5, -1, 0]));
    }

    [Fact]
    public void Auc_counts_ordered_pairs_with_ties_as_half()
    {
        // pairs (up, down): (0.35,0.1) ✓ (0.35,0.4) ✗ (0.8,0.1) ✓ (0.8,0.4) ✓ → 3/4
        Assert.Equal(0.75, Metrics.Auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 12);
        Assert.Equal(1.0, Metrics.Auc([0.1, 0.2, 0.9], [false, false, true]), 12);
        Assert.Equal(0.0, Metrics.Auc([0.9, 0.2, 0.1], [false, false, true]), 12);
        Assert.Equal(0.5, Metrics.Auc([0.5, 0.5], [false, true]), 12);
        Assert.True(double.IsNaN(Metrics.Auc([0.5, 0.6], [true, true])));
    }

    [Fact]
    public void Accuracy_and_log_loss_match_hand_computed_values()
    {
        Assert.Equal(2 / 3.0, Metrics.Accuracy([0.9, 0.4, 0.6], [true, false, false]), 12);
        var expected = -(Math.Log(0.9) + Math.Log(0.6) + Math.Log(0.4)) / 3;
        Assert.Equal(expected, Metrics.LogLoss([0.9, 0.4, 0.6], [true, false, false]), 12);
        Assert.True(double.IsFinite(Metrics.LogLoss([0.0, 1.0], [true, false])), "clipped, not infinite");
    }
}
