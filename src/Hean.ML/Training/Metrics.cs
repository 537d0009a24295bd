namespace Hean.ML.Training;

/// <summary>Out-of-sample scores of predictions against what happened. NaN when a score is undefined (no rows, no variance, one class only).</summary>
public static class Metrics
{
    public static double Rmse(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        CheckPair(predicted, actual);
        if (predicted.Count == 0) return double.NaN;
        var sum = 0.0;
        for (var i = 0; i < predicted.Count; i++)
        {
            var d = predicted[i] - actual[i];
            sum += d * d;
        }
        return Math.Sqrt(sum / predicted.Count);
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPair(x, y);
        var n = x.Count;
        if (n < 2) return double.NaN;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++)
        {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>Spearman's rank correlation (Pearson of the ranks, ties take their average rank): the information coefficient.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPair(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Area under the ROC curve (Mann–Whitney: the chance a random up row scores above a random down row, ties half).</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> up)
    {
        CheckPair(scores, up);
        var positives = up.Count(u => u);
        var negatives = up.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        var ranks = Ranks(scores);
        var rankSum = 0.0;
        for (var i = 0; i < ranks.Length; i++)
            if (up[i]) rankSum += ranks[i];
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Share of rows where P(up) &gt; 0.5 agrees with the direction.</summary>
    public static double Accuracy(IReadOnlyList<double> probabilities, IReadOnlyList<bool> up)
    {
        CheckPair(probabilities, up);
        if (up.Count == 0) return double.NaN;
        var right = 0;
        for (var i = 0; i < up.Count; i++)
            if (probabilities[i] > 0.5 == up[i]) right++;
        return (double)right / up.Count;
    }

    /// <summary>Mean negative log-likelihood in nats, probabilities clipped to [1e−15, 1 − 1e−15].</summary>
    public static double LogLoss(IReadOnlyList<double> probabilities, IReadOnlyList<bool> up)
    {
        CheckPair(probabilities, up);
        if (up.Count == 0) return double.NaN;
        const double eps = 1e-15;
        var sum = 0.0;
        for (var i = 0; i < up.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], eps, 1 - eps);
            sum -= up[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / up.Count;
    }

    /// <summary>1-based ranks, ties averaged.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]].Equals(values[order[start]])) end++;
            var rank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++) ranks[order[k]] = rank;
            start = end;
        }
        return ranks;
    }

    private static void CheckPair<TA, TB>(IReadOnlyList<TA> a, IReadOnlyList<TB> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} predictions but {b.Count} outcomes");
    }
}
