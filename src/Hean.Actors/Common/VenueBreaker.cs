using Hean.Actors.Execution;
using Hean.Actors.Monitoring;

namespace Hean.Actors.Common;

/// <summary>
/// The circuit breaker of a venue gateway, with the seed's thresholds (<see cref="CircuitBreakerSettings"/>): open
/// after <c>MaxFailures</c> consecutive failed calls (an exception, an outcome we cannot know, or a call slower than
/// <c>CallTimeout</c>); while open, new orders are refused at once; after <c>ResetTimeout</c> it is half open and lets
/// calls through as trials; <c>SuccessesToClose</c> trial successes in a row close it, one failure opens it again.
/// Akka's <c>CircuitBreaker</c> closes on the first trial success, hence this one. Owned by one actor: not thread-safe.
/// State changes are logged by the owner (<see cref="Changed"/>) and exported as <c>hean_circuit_breaker{component,state}</c>.
/// </summary>
public sealed class VenueBreaker
{
    public const string Closed = "closed", Open = "open", HalfOpen = "half_open";

    private readonly CircuitBreakerSettings _settings;
    private readonly string _component;
    private readonly Func<DateTime> _now;
    private string _state = Closed;
    private DateTime _openedAt;
    private int _successes;

    public VenueBreaker(CircuitBreakerSettings settings, string component, Func<DateTime>? now = null)
    {
        if (settings.MaxFailures < 1 || settings.SuccessesToClose < 1 || settings.ResetTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"invalid circuit breaker settings: {settings}", nameof(settings));
        (_settings, _component, _now) = (settings, component, now ?? (() => DateTime.UtcNow));
        Export();
    }

    /// <summary>Called with (from, to, why) on every change of state.</summary>
    public Action<string, string, string>? Changed { get; set; }

    /// <summary>Consecutive failures counted toward opening (in the closed state).</summary>
    public int Failures { get; private set; }

    /// <summary>Closed, open or half_open; an open breaker whose reset time has passed is half open.</summary>
    public string State
    {
        get
        {
            if (_state == Open && _now() - _openedAt >= _settings.ResetTimeout) Move(HalfOpen, $"{_settings.ResetTimeout.TotalSeconds:0.###} s passed: trial calls");
            return _state;
        }
    }

    public bool AllowsCalls => State != Open;

    /// <summary>When an open breaker lets the next trial through.</summary>
    public DateTime? RetryAt => _state == Open ? _openedAt + _settings.ResetTimeout : null;

    /// <summary>The outcome of one call: failed, or succeeded but slower than the call timeout (a failure too).</summary>
    public void Record(bool succeeded, TimeSpan elapsed, string what)
    {
        if (succeeded && elapsed > _settings.CallTimeout)
        {
            succeeded = false;
            what = $"{what} took {elapsed.TotalSeconds:0.##} s (call timeout {_settings.CallTimeout.TotalSeconds:0.##} s)";
        }
        if (succeeded) OnSuccess();
        else OnFailure(what);
    }

    public void OnSuccess()
    {
        switch (State)
        {
            case Closed:
                Failures = 0;
                break;
            case HalfOpen when ++_successes >= _settings.SuccessesToClose:
                Failures = 0;
                Move(Closed, $"{_successes} trial calls succeeded");
                break;
        }
    }

    public void OnFailure(string why)
    {
        switch (State)
        {
            case Closed when ++Failures >= _settings.MaxFailures:
                Trip($"{Failures} consecutive failures, the last: {why}");
                break;
            case HalfOpen:
                Trip("a trial call failed: " + why);
                break;
        }
    }

    /// <summary>Opens the breaker now (the venue told us to stop, as with an IP ban), whatever the count of failures.</summary>
    public void Trip(string why)
    {
        _openedAt = _now();
        Move(Open, why);
    }

    private void Move(string to, string why)
    {
        var from = _state;
        _state = to;
        _successes = 0;
        Export();
        Changed?.Invoke(from, to, why);
    }

    private void Export()
    {
        foreach (var s in new[] { Closed, Open, HalfOpen })
            HeanMetrics.CircuitBreaker.WithLabels(_component, s).Set(s == _state ? 1 : 0);
    }
}
