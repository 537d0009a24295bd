using Hean.Core.Models;
using Hean.Core.Signals;
using Hean.Core.Strategy;
using Hean.Streams.Inference;
using Xunit;
using static Hean.Streams.Tests.Inference.TestModels;

namespace Hean.Streams.Tests.Inference;

public sealed class MlStrategyTests
{
    private static MlDecision At(int i, Prediction? p, double macd = 1, double adx = 15, double rv = 0.01,
        SignalDirection technical = SignalDirection.Short)
    {
        var d = Decision(i, technical, macd, adx, rv).Decision!;
        return new MlDecision(d.Time, d.ReferencePrice, d.Features, p, p is null ? null : "v1", d.TechnicalView, d.TechnicalConfidence);
    }

    [Theory]
    [InlineData(0.8, 0.7, 1, 15, 0.01, SignalDirection.Long, 0.7)] // with the trend: the model's confidence
    [InlineData(-0.8, 0.7, 1, 15, 0.01, SignalDirection.Short, 0.35)] // against a weak trend: halved
    [InlineData(-0.8, 0.7, 1, 30, 0.01, SignalDirection.Flat, 0)] // against a strong trend: no position
    [InlineData(0.05, 0.7, 1, 15, 0.01, SignalDirection.Flat, 0)] // inside the dead zone
    [InlineData(0.8, 0.7, 1, 15, 0.5, SignalDirection.Flat, 0)] // volatility above the limit
    [InlineData(0.8, 0.7, double.NaN, 15, 0.01, SignalDirection.Long, 0.7)] // no trend yet: the model alone
    public void The_prediction_is_filtered_by_trend_and_volatility(double score, double confidence, double macd, double adx, double rv,
        SignalDirection direction, double expectedConfidence)
    {
        var strategy = new MlStrategy(Btc, Schema);
        strategy.Follow(direction == SignalDirection.Flat ? SignalDirection.Long : SignalDirection.Flat); // so any outcome is a change
        var signal = strategy.OnDecision(At(0, new Prediction(score, score, confidence), macd, adx, rv));
        Assert.NotNull(signal);
        Assert.Equal(direction, signal.Direction);
        Assert.Equal(expectedConfidence, signal.Confidence, 12);
        Assert.Equal(MlStrategy.StrategyName, signal.Strategy);
    }

    [Fact]
    public void A_signal_only_when_the_desired_direction_changes_and_the_technical_view_decides_without_a_prediction()
    {
        var strategy = new MlStrategy(Btc, Schema);
        var up = new Prediction(0.01, 0.8, 0.7);
        Assert.Equal(SignalDirection.Long, strategy.OnDecision(At(0, up))!.Direction);
        Assert.Null(strategy.OnDecision(At(1, up)));
        var technical = strategy.OnDecision(At(2, null, technical: SignalDirection.Short));
        Assert.Equal((SignalDirection.Short, EmaCrossStrategy.StrategyName, 0.6), (technical!.Direction, technical.Strategy, technical.Confidence));
        Assert.Null(strategy.OnDecision(At(3, null, technical: SignalDirection.Short)));
        Assert.Equal(SignalDirection.Long, strategy.OnDecision(At(4, up))!.Direction);
    }

    [Fact]
    public void The_same_decisions_give_the_same_signals()
    {
        var decisions = Enumerable.Range(0, 200).Select(i => At(i, i % 7 == 0 ? null : new Prediction(0, Math.Sin(i / 5.0), 0.5 + i % 3 * 0.1),
            macd: Math.Cos(i / 9.0), adx: 10 + i % 30, rv: 0.01 * (i % 4))).ToList();
        string Run()
        {
            var s = new MlStrategy(Btc, Schema);
            return string.Join(";", decisions.Select(d => s.OnDecision(d) is { } x ? $"{x.Time:O}|{x.Direction}|{x.Confidence:R}|{x.Reason}" : "-"));
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.Contains("Long", first);
        Assert.Contains("Short", first);
    }

    [Fact]
    public void A_schema_without_the_features_it_needs_and_bad_settings_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new MlStrategy(Btc, new Hean.Core.Features.FeatureSchema(1, "sma:20", 5, 10)));
        Assert.Contains("macd_12_26_9.macd", e.Message);
        Assert.Throws<ArgumentException>(() => new MlStrategy(Btc, Schema, new MlStrategySettings(MinScore: 1.5)));
    }

    [Fact]
    public void The_breaker_opens_after_the_limit_half_opens_after_the_reset_and_closes_on_success()
    {
        var reset = TimeSpan.FromMinutes(5);
        var b = InferenceBreaker.Closed.OnFailure(T0, 3).OnFailure(T0, 3);
        Assert.Equal((BreakerState.Closed, 2), (b.State, b.Failures));
        Assert.Equal(BreakerState.Closed, b.OnSuccess().OnFailure(T0, 3).State);
        b = b.OnFailure(T0.AddMinutes(1), 3);
        Assert.False(b.Allows);
        Assert.Equal(BreakerState.Open, b.At(T0.AddMinutes(5.9), reset).State);
        var half = b.At(T0.AddMinutes(6), reset);
        Assert.True(half.Allows);
        Assert.Equal(BreakerState.HalfOpen, half.State);
        Assert.Equal((BreakerState.Open, T0.AddMinutes(6)), (half.OnFailure(T0.AddMinutes(6), 3).State, half.OnFailure(T0.AddMinutes(6), 3).OpenedAt));
        Assert.Equal(InferenceBreaker.Closed, half.OnSuccess());
    }
}
