namespace Hean.ML.Training;

/// <summary>One walk-forward step: train on rows [TrainStart, TrainEnd), test on [TestStart, TestEnd) (row indexes).</summary>
public sealed record WalkForwardWindow(int Index, int TrainStart, int TrainEnd, int TestStart, int TestEnd)
{
    public int TrainRows => TrainEnd - TrainStart;
    public int TestRows => TestEnd - TestStart;
}

/// <summary>
/// Rolling walk-forward windows. Training always precedes its test. Between them a purge of P bars
/// (P ≥ horizon): the label of the last training row looks H bars ahead, so with P ≥ H no training
/// label reaches a price inside the test window. The next window moves forward by the step (= the
/// test length); its training may include earlier test rows, which is legitimate because they are
/// in its past; so no embargo after a test window is needed (one would only matter if training
/// data came after the test).
/// </summary>
public static class WalkForward
{
    /// <param name="labeledRows">Rows that have a label (all rows but the last horizon ones).</param>
    public static IReadOnlyList<WalkForwardWindow> Plan(int labeledRows, int trainRows, int testRows, int purgeRows, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (trainRows < 1) throw new ArgumentException($"the training window must have at least one bar, got {trainRows}");
        if (testRows < 1) throw new ArgumentException($"the step (test window) must have at least one bar, got {testRows}");
        if (purgeRows < horizon)
            throw new ArgumentException($"the purge ({purgeRows} bars) must be at least the horizon ({horizon} bars), or training labels would see test prices");
        var windows = new List<WalkForwardWindow>();
        for (var start = 0; start + trainRows + purgeRows + testRows <= labeledRows; start += testRows)
        {
            var trainEnd = start + trainRows;
            var testStart = trainEnd + purgeRows;
            windows.Add(new WalkForwardWindow(windows.Count + 1, start, trainEnd, testStart, testStart + testRows));
        }
        return windows;
    }
}
