using Hean.ML.Training;

namespace Hean.ML.Tests;

public class WalkForwardTests
{
    [Theory]
    [InlineData(1000, 300, 100, 4, 4)]
    [InlineData(5000, 720, 168, 24, 12)]
    [InlineData(421, 300, 100, 20, 1)]
    public void Windows_roll_forward_and_no_training_label_reaches_the_test_window(int rows, int train, int test, int purge, int horizon)
    {
        var windows = WalkForward.Plan(rows, train, test, purge, horizon);
        Assert.NotEmpty(windows);
        Assert.Equal((rows - train - purge) / test, windows.Count);
        for (var k = 0; k < windows.Count; k++)
        {
            var w = windows[k];
            Assert.Equal(k + 1, w.Index);
            Assert.Equal(train, w.TrainRows);
            Assert.Equal(test, w.TestRows);
            Assert.True(w.TrainEnd - 1 + horizon < w.TestStart, "the last training label must end before the test window");
            Assert.True(w.TestEnd <= rows);
            if (k > 0) Assert.Equal(windows[k - 1].TestEnd, w.TestStart); // test windows tile the data
        }
    }

    [Fact]
    public void A_purge_shorter_than_the_horizon_or_too_little_data_is_refused_or_empty()
    {
        var error = Assert.Throws<ArgumentException>(() => WalkForward.Plan(1000, 300, 100, 3, 4));
        Assert.Contains("purge", error.Message);
        Assert.Empty(WalkForward.Plan(400, 300, 100, 4, 4));
        Assert.Throws<ArgumentException>(() => WalkForward.Plan(1000, 0, 100, 4, 4));
    }
}
