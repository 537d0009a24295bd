using System.Diagnostics;
using Hean.Core.Signals;
using Hean.Core.MarketData;
using Hean.Core.Features;
using Hean.Core.Models;

namespace Hean.Streams.Inference;

/// <summary>
/// One prediction handed from the inference stage to the <see cref="InferencePool"/>. Reused call after
/// call (no allocation per prediction) until it is abandoned by a timeout; the state word decides, without
/// locks, whether the stage takes the answer on its own thread (it was still waiting for it) or the
/// worker wakes the stage through its async callback (the stage had suspended).
/// </summary>
internal sealed class PredictionCall(Action<PredictionCall> onAnswerWhileSuspended)
{
    private const int Idle = 0, Running = 1, Answered = 2, Suspended = 3, Abandoned = 4;
    private int _state;

    public IPredictor Model { get; private set; } = null!;
    public FeatureVector Features { get; private set; } = null!;
    public Prediction Result { get; private set; }
    public Exception? Error { get; private set; }
    public long Started { get; private set; }
    public bool IsAnswered => Volatile.Read(ref _state) == Answered;

    public void Start(IPredictor model, FeatureVector features, InferencePool pool)
    {
        if (Interlocked.CompareExchange(ref _state, Running, Idle) != Idle) throw new InvalidOperationException("a prediction call is already in flight");
        Model = model;
        Features = features;
        Error = null;
        Result = default;
        Started = Stopwatch.GetTimestamp();
        pool.Submit(this);
    }

    /// <summary>On an inference thread; false when the stage had abandoned the call (timed out) meanwhile.</summary>
    public bool Run()
    {
        try
        {
            Result = Model.Predict(Features.Values);
        }
        catch (Exception e)
        {
            Error = e;
        }
        if (Interlocked.CompareExchange(ref _state, Answered, Running) == Running) return true;
        if (Interlocked.CompareExchange(ref _state, Answered, Suspended) == Suspended)
        {
            try
            {
                onAnswerWhileSuspended(this);
            }
            catch (Exception)
            {
                // The stage stopped meanwhile (its callback refuses): nobody waits for this answer.
            }
            return true;
        }
        return false; // abandoned: the stage timed out and moved on; the answer is dropped
    }

    /// <summary>The stage waits up to <paramref name="budgetTicks"/> on its thread; true when answered by then.</summary>
    public bool AwaitBriefly(long budgetTicks)
    {
        if (IsAnswered) return true;
        var until = Stopwatch.GetTimestamp() + budgetTicks;
        var spinner = new SpinWait();
        while (Stopwatch.GetTimestamp() < until)
        {
            if (IsAnswered) return true;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        // Suspend unless the answer came in just now.
        return Interlocked.CompareExchange(ref _state, Suspended, Running) == Answered;
    }

    /// <summary>The stage takes the answer; the call can be started again.</summary>
    public void Release() => Volatile.Write(ref _state, Idle);

    /// <summary>Timeout while suspended: true when the call is abandoned (no answer will be used); false when the answer is already on its way.</summary>
    public bool Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Suspended) == Suspended;
}
