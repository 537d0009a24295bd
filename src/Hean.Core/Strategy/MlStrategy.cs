using System.Globalization;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.Models;
using Hean.Core.Signals;

namespace Hean.Core.Strategy;

/// <summary>
/// Settings of <see cref="MlStrategy"/>.
/// </summary>
/// <param name="MinScore">Dead zone: a prediction whose |score| is below this has no view (Flat).</param>
/// <param name="AdxTrending">ADX at or above this is a trend the model may not fight: a view against it is Flat.</param>
/// <param name="AgainstWeakTrend">Confidence factor for a view against the EMA cross while ADX is below <see cref="AdxTrending"/>.</param>
/// <param name="MaxBarVolatility">Realized volatility of the last bars (rv, not annualized) above which the model takes no new view.</param>
public sealed record MlStrategySettings(double MinScore = 0.1, double AdxTrending = 25, double AgainstWeakTrend = 0.5, double MaxBarVolatility = 0.25)
{
    public static MlStrategySettings Default { get; } = new();

    public IEnumerable<string> Problems()
    {
        if (!(MinScore is >= 0 and < 1)) yield return $"MinScore must be in [0, 1), got {MinScore}";
        if (!(AdxTrending is > 0 and <= 100)) yield return $"AdxTrending must be in (0, 100], got {AdxTrending}";
        if (!(AgainstWeakTrend is >= 0 and <= 1)) yield return $"AgainstWeakTrend must be in [0, 1], got {AgainstWeakTrend}";
        if (!(MaxBarVolatility > 0) || !double.IsFinite(MaxBarVolatility)) yield return $"MaxBarVolatility must be a positive number, got {MaxBarVolatility}";
    }
}

/// <summary>
/// One decision point of the ML strategy: the features of a closed bar, the model's prediction on
/// them (null when the model is unavailable: breaker open, or the model and its fallback failed),
/// and the technical strategy's current view (<see cref="EmaCrossStrategy"/>: direction of its last
/// signal and that signal's confidence).
/// </summary>
public readonly record struct MlDecision(
    DateTime Time,
    decimal ReferencePrice,
    FeatureVector Features,
    Prediction? Prediction,
    string? ModelVersion,
    SignalDirection TechnicalView,
    double TechnicalConfidence);

/// <summary>
/// Combines the model's prediction with technical features into a SIGNAL.
/// <list type="bullet">
/// <item>Direction: the sign of the prediction's score; |score| below <see cref="MlStrategySettings.MinScore"/> is Flat.</item>
/// <item>Trend filter (EMA 12/26 cross = the sign of the MACD line, strength = ADX 14): a view against a
///   trend with ADX ≥ <see cref="MlStrategySettings.AdxTrending"/> is Flat; against a weak trend its
///   confidence is scaled by <see cref="MlStrategySettings.AgainstWeakTrend"/>.</item>
/// <item>Volatility filter: above <see cref="MlStrategySettings.MaxBarVolatility"/> (rv 20) the view is Flat.</item>
/// <item>Confidence: the prediction's confidence times the trend factor. Risk sizing uses it as the
///   hard-limit leg (MAX_POSITION_SIZE × POSITION_FRACTION × confidence), then takes the smallest of that,
///   fractional Kelly and the volatility target; so a less confident view trades smaller, never larger.</item>
/// <item>Without a prediction the technical strategy decides alone: the desired position is its view with its confidence.</item>
/// </list>
/// A signal is emitted only when the desired direction changes, so switching between the model and
/// the technical fallback emits one aligning signal, not one per bar. Pure arithmetic on its inputs:
/// deterministic in backtests. One instance per symbol; not thread-safe.
/// </summary>
public sealed class MlStrategy
{
    public const string StrategyName = "ml";

    private readonly MlStrategySettings _settings;
    private readonly int _macd, _adx, _rv;
    private SignalDirection _desired = SignalDirection.Flat;

    public MlStrategy(Symbol symbol, FeatureSchema schema, MlStrategySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _settings = settings ?? MlStrategySettings.Default;
        if (_settings.Problems().FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(settings));
        Symbol = symbol;
        _macd = Require(schema, "macd_12_26_9.macd");
        _adx = Require(schema, "adx_14.adx");
        _rv = Require(schema, "rv_20");
    }

    public Symbol Symbol { get; }

    /// <summary>The direction of the last emitted signal (Flat before the first).</summary>
    public SignalDirection Direction => _desired;

    /// <summary>The position now follows a signal made elsewhere (the technical strategy aligning it at the start).</summary>
    public void Follow(SignalDirection direction) => _desired = direction;

    public Signal? OnDecision(in MlDecision d)
    {
        ArgumentNullException.ThrowIfNull(d.Features);
        if (d.Prediction is not { } p)
        {
            if (d.TechnicalView == _desired) return null;
            _desired = d.TechnicalView;
            return new Signal(Symbol, d.Time, d.TechnicalView, d.TechnicalConfidence, d.ReferencePrice, EmaCrossStrategy.StrategyName,
                "model unavailable: technical view " + d.TechnicalView);
        }
        var (view, confidence, why) = FromModel(d.Features, p);
        if (view == _desired) return null; // the reason is formatted only for a signal: nothing allocated per bar otherwise
        _desired = view;
        var f = d.Features;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"model {d.ModelVersion} score {p.Score:F3} confidence {p.Confidence:F3}, MACD {f[_macd]:F2}, ADX {f[_adx]:F1}, rv {f[_rv]:F4}: {why}");
        return new Signal(Symbol, d.Time, view, confidence, d.ReferencePrice, StrategyName, reason);
    }

    private (SignalDirection View, double Confidence, string Why) FromModel(FeatureVector f, Prediction p)
    {
        var score = double.IsFinite(p.Score) ? Math.Clamp(p.Score, -1, 1) : 0;
        var confidence = double.IsFinite(p.Confidence) ? Math.Clamp(p.Confidence, 0, 1) : 0;
        var view = Math.Abs(score) < _settings.MinScore || confidence == 0 ? 0 : Math.Sign(score);
        var trend = double.IsNaN(f[_macd]) ? 0 : Math.Sign(f[_macd]);
        string why;
        if (view == 0) why = "no view";
        else if (f[_rv] > _settings.MaxBarVolatility)
        {
            view = 0;
            why = "volatility above limit";
        }
        else if (trend != 0 && view != trend)
        {
            if (f[_adx] >= _settings.AdxTrending)
            {
                view = 0;
                why = "against a strong trend";
            }
            else
            {
                confidence *= _settings.AgainstWeakTrend;
                why = "against a weak trend";
            }
        }
        else why = trend == 0 ? "no trend" : "with the trend";
        return ((SignalDirection)view, view == 0 ? 0 : confidence, why);
    }

    private static int Require(FeatureSchema schema, string name)
    {
        var i = schema.IndexOf(name);
        if (i < 0) throw new ArgumentException($"the ML strategy needs feature '{name}', which schema {schema.Id} does not have", nameof(schema));
        return i;
    }
}
