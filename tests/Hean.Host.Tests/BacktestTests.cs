using Hean.Host.Commands;
using Hean.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Hean.Host.Tests;

public sealed class BacktestTests
{
    private static HeanSettings Settings() => HeanSettings.From(new ConfigurationBuilder().Build());

    private static BacktestOptions Synthetic(ulong seed) => new(null, null, seed, TimeSpan.FromHours(3),
        new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), null);

    [Fact]
    public async Task Same_seed_gives_the_same_fingerprint_and_another_seed_does_not()
    {
        var first = await BacktestCommand.RunAsync(Settings(), Synthetic(7), CancellationToken.None);
        var second = await BacktestCommand.RunAsync(Settings(), Synthetic(7), CancellationToken.None);
        var other = await BacktestCommand.RunAsync(Settings(), Synthetic(8), CancellationToken.None);

        Assert.True(first.FillCount > 0, "the baseline strategy should trade in three hours of synthetic market");
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(first.Fills, second.Fills);
        Assert.Equal(first.Pnl, second.Pnl);
        Assert.NotEqual(first.Fingerprint, other.Fingerprint);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BacktestReport.FingerprintOf([]));
    }
}
