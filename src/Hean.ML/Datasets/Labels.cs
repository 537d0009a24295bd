namespace Hean.ML.Datasets;

/// <summary>Training targets from close prices. A label looks ahead by design; the features never do.</summary>
public static class Labels
{
    /// <summary>log(close[i + h] / close[i]) for each row that has h bars after it; the last h rows have none (NaN).</summary>
    public static double[] ForwardLogReturns(IReadOnlyList<double> closes, int horizon)
    {
        ArgumentNullException.ThrowIfNull(closes);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var labels = new double[closes.Count];
        for (var i = 0; i < labels.Length; i++)
            labels[i] = i + horizon < closes.Count ? Math.Log(closes[i + horizon] / closes[i]) : double.NaN;
        return labels;
    }

    /// <summary>
    /// Forward log returns of a dataset's rows, NaN where the row H rows ahead is not H bars ahead
    /// (a gap in the data): such a label would mix horizons, so it is left out.
    /// </summary>
    public static double[] ForwardLogReturns(FeatureDataset dataset, int horizon)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var labels = ForwardLogReturns(dataset.Closes, horizon);
        var span = dataset.Interval * horizon;
        for (var i = 0; i + horizon < labels.Length; i++)
            if (dataset.Times[i + horizon] - dataset.Times[i] != span) labels[i] = double.NaN;
        return labels;
    }

    /// <summary>
    /// Direction of a forward return with a dead zone: true (up) above +deadZone, false (down) below
    /// −deadZone, null inside it (or NaN): such rows are left out of classifier training and scoring.
    /// </summary>
    public static bool? Direction(double forwardReturn, double deadZone)
    {
        if (!(deadZone >= 0)) throw new ArgumentOutOfRangeException(nameof(deadZone), deadZone, "the dead zone must be ≥ 0");
        if (forwardReturn > deadZone) return true;
        if (forwardReturn < -deadZone) return false;
        return null;
    }
}
